"""Who may do what with exams: every exam view decides at its top through these functions
(to move into `trainees/access.py` with the other roles' decisions)."""

from django.http import Http404

from trainees.roles import Role

from .models import Attempt, Exam

AUDIENCE_ROLES = {"enterprise": Role.ENTERPRISE_STAFF, "validator": Role.VALIDATOR_CANDIDATE}


def exams_open_to(user):
    """Exams a person may take: those whose audience is one of their roles."""
    audiences = [audience for audience, role in AUDIENCE_ROLES.items() if user.has_role(role)]
    return Exam.objects.filter(audience__in=audiences)


def can_take(user, exam: Exam) -> bool:
    role = AUDIENCE_ROLES.get(exam.audience)
    return bool(user.is_authenticated and role and user.has_role(role))


def own_attempt_or_404(user, attempt_id: int) -> Attempt:
    """A candidate's own attempt; anyone else's (or none) is a 404, never a 403 that confirms it
    exists (issue 14 point 7)."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise Http404
    return attempt


def can_invigilate(user) -> bool:
    return user.is_authenticated and (user.has_role(Role.INVIGILATOR) or user.is_customs_officer)


def can_mark(user) -> bool:
    return user.is_authenticated and user.has_role(Role.TRAINER)


def can_release(user) -> bool:
    return user.is_authenticated and user.is_customs_officer


def is_validator_candidate(user) -> bool:
    return user.is_authenticated and user.has_role(Role.VALIDATOR_CANDIDATE)
