"""Who may do what with training sessions. Customs officers plan and allocate; trainers see and
keep the register of the sessions they teach; enterprise staff book for themselves."""

from trainees.roles import Role


def is_officer(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(Role.CUSTOMS_OFFICER)))


def is_trainer(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.TRAINER))


def may_view_rosters(user) -> bool:
    return is_officer(user) or is_trainer(user)


def may_manage_session(user, session) -> bool:
    """Officers, and trainers of this session, keep its register and see its roster."""
    if is_officer(user):
        return True
    return is_trainer(user) and session.trainers.filter(pk=user.pk).exists()


def may_book(user) -> bool:
    return bool(user and user.is_authenticated and user.enterprise_id)
