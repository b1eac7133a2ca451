"""URL table rows of `surveys` (issue 17, points 1 and 7): a participant's surveys and answer
form (only their own invitation: anyone else finds nothing), survey results and exports for
officers of the district that ran the event, GACC and the event's trainers, the Atom feed for
everybody, and the back office of templates and surveys."""

from . import BACK_OFFICE, GACC, OFFICER, OTHER_OFFICER, STAFF, TRAINER, Row, Rule, answers, only, signed_in


def _survey(w):
    return {"survey_id": w.survey.pk}


def _answers(w):
    from tests.surveys.factories import form_data

    return form_data(w.survey)


# Only the invited staff member; every other signed-in person finds nothing (another
# enterprise's survey is a 404).
RESPOND = signed_in(404, **{STAFF: 200})
RESULTS = only((TRAINER, OFFICER, OTHER_OFFICER, GACC))
# The Shenzhen session's survey: its trainer, Shenzhen officers and GACC; another district 404.
SURVEY_RESULTS = only((TRAINER, OFFICER, GACC)) | {OTHER_OFFICER: 404}

ROWS = [
    Row("surveys:my_surveys", signed_in(200)),
    Row("surveys:respond", RESPOND, kwargs=_survey),
    Row(
        "surveys:respond",
        signed_in(404, **{STAFF: 302}),
        method="POST",
        kwargs=_survey,
        data=_answers,
        note="a complete set of answers; the second one is refused (tests/surveys)",
    ),
    Row("surveys:results", RESULTS, params=("start", "end", "kind", "course", "trainer", "base")),
    Row("surveys:results_xlsx", RESULTS, params=("start", "end", "kind", "course", "trainer", "base")),
    Row("surveys:survey_results", SURVEY_RESULTS, kwargs=_survey),
    Row("surveys:survey_results_xlsx", SURVEY_RESULTS, kwargs=_survey),
    Row("publicity:feed", answers(200)),
]

RULES = [
    Rule(r"^admin/survey_templates/", only(BACK_OFFICE), "/admin/survey_templates/"),
    Rule(r"^admin/event_surveys/", only(BACK_OFFICE), "/admin/event_surveys/"),
]
