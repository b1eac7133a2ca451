"""Object lookups of the exam pages; the role decisions themselves live in `trainees.access`
(the one access module), so every exam view asks these few functions at its top."""

from django.http import Http404

from trainees import access

from .models import Attempt, Exam

is_validator_candidate = access.is_validator_candidate
can_invigilate = access.may_invigilate
can_mark = access.may_mark_exams
can_release = access.may_release_exam_results
can_see_ticket = access.may_see_exam_ticket
can_see_photo = access.may_see_exam_photo
can_see_reports = access.may_see_exam_reports
can_upload_answer_file = access.may_complete_from_answer_file
can_manage_exams = access.may_manage_exams
can_manage_sittings = access.may_manage_sittings
sittings_managed_by = access.sittings_managed_by
sittings_invigilated_by = access.sittings_invigilated_by
candidates_visible_to = access.people_visible_to


def exams_open_to(user):
    """Exams a person may take: those whose audience is one of their roles."""
    return Exam.objects.filter(audience__in=access.exam_audiences(user))


def can_take(user, exam: Exam) -> bool:
    return exam.audience in access.exam_audiences(user)


def own_attempt_or_404(user, attempt_id: int) -> Attempt:
    """A candidate's own attempt; anyone else's (or none) is a 404, never a 403 that confirms it
    exists (issue 14 point 7)."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise Http404
    return attempt
