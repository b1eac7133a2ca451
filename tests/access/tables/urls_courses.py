"""URL table rows of `courses` (issue 11): My learning, enrolment, lessons, quizzes, the video
heartbeat (JSON), enterprise coverage, cohort enrolment and trainer statistics."""

import uuid

from . import ADMIN, GACC, OFFICER, OFFICERS, OTHER_OFFICER, OTHER_STAFF, STAFF, TRAINER, Row, only, signed_in


def _course(w):
    return {"page_id": w.course.pk}


def _lesson(w):
    return {"page_id": w.lesson.pk}


ROWS = [
    Row("courses:my_learning", signed_in(200)),
    # Anybody signed in may enrol (a second time: the same enrolment, a message).
    Row("courses:enrol", signed_in(302), method="POST", kwargs=_course),
    # Not enrolled or too early: a message on the lesson page, nothing recorded.
    Row("courses:lesson_done", signed_in(302), method="POST", kwargs=_lesson),
    Row(
        "courses:quiz",
        signed_in(302),
        method="POST",
        kwargs=lambda w: {"page_id": w.lesson.pk, "block_id": str(uuid.uuid4())},
        data={"q0": "1", "q1": "2"},
    ),
    # JSON: anonymous 401; a learner who has not opened the lesson as an enrolled learner 403.
    Row(
        "courses:heartbeat",
        signed_in(403),
        method="POST",
        api=True,
        data=lambda w: {"watchable": f"lesson:{w.lesson.translation_key}", "played": [[0, 10]]},
    ),
    # The enterprise's administrator and the officers of its district; another enterprise or
    # district finds nothing; a colleague who is not the administrator is refused.
    Row(
        "courses:enterprise_coverage",
        signed_in(404, **{STAFF: 403, ADMIN: 200, OFFICER: 200, GACC: 200}),
        kwargs=lambda w: {"enterprise_id": w.enterprise.pk},
    ),
    Row(
        "courses:enterprise_coverage",
        signed_in(404, **{OTHER_STAFF: 403, OTHER_OFFICER: 200, GACC: 200}),
        kwargs=lambda w: {"enterprise_id": w.other_enterprise.pk},
        note="the other district's enterprise",
    ),
    Row(
        "courses:cohort_enrol",
        only(OFFICERS),
        data=lambda w: {"round": str(w.round.pk), "course": str(w.course.pk)},
        params=("round", "course"),
    ),
    Row(
        "courses:cohort_enrol",
        only(OFFICERS) | {OTHER_OFFICER: 403},
        method="POST",
        data=lambda w: {"round": str(w.round.pk), "course": str(w.course.pk)},
        note="another district's round is refused: nobody enrolled",
    ),
    Row("courses:trainer_stats", only((TRAINER,))),
    Row("courses:trainer_stats_xlsx", only((TRAINER,))),
]
