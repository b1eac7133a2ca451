"""Who may do what with courses, built on the platform's access helpers (`trainees.access`).
Lead trainers approve and publish; a trainer edits the courses they are listed on or created;
enterprise administrators and officers see enterprise coverage."""

from trainees.access import can_manage_enterprise, can_see_enterprise, is_customs_officer
from trainees.roles import Role

__all__ = [
    "can_manage_enterprise",
    "can_see_enterprise",
    "is_customs_officer",
    "is_lead_trainer",
    "is_trainer",
    "may_edit_course",
    "may_learn",
]


def may_learn(user) -> bool:
    """Anybody signed in may enrol in published courses."""
    return bool(getattr(user, "is_authenticated", False))


def is_lead_trainer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.has_role(Role.LEAD_TRAINER)))


def is_trainer(user) -> bool:
    return is_lead_trainer(user) or bool(getattr(user, "is_authenticated", False) and user.has_role(Role.TRAINER))


def may_edit_course(user, course) -> bool:
    """Issue 11 point 2: lead trainers edit every course; a trainer the ones they are listed on
    as a trainer and the ones they created."""
    if is_lead_trainer(user):
        return True
    if not is_trainer(user):
        return False
    return course.owner_id == user.pk or any(trainer.pk == user.pk for trainer in course.trainers.all())
