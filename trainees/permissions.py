"""Who sees and manages which enterprise. Officers see the enterprises of their customs district
(GACC sees all; a regional customs its own unit and the local customs under it; a local customs
its own unit); enterprise staff see their own enterprise (seed 004: function and responsibility)."""

from django.db.models import QuerySet

from .models import CustomsUnit, Enterprise, SelectionRound
from .roles import Role


def is_customs_officer(user) -> bool:
    """A customs officer attached to a customs unit (superusers count as GACC officers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (user.customs_unit_id is not None and user.has_role(Role.CUSTOMS_OFFICER))


def _is_gacc(user) -> bool:
    return user.is_superuser or (user.customs_unit is not None and user.customs_unit.level == CustomsUnit.Level.GACC)


def units_visible_to(user) -> QuerySet[CustomsUnit]:
    """Customs units whose enterprises and rounds an officer may see."""
    if not is_customs_officer(user):
        return CustomsUnit.objects.none()
    if _is_gacc(user):
        return CustomsUnit.objects.all()
    unit_id = user.customs_unit_id
    # The tree has three levels, so a unit's subtree is itself, its children and grandchildren.
    return (
        CustomsUnit.objects.filter(id=unit_id)
        | CustomsUnit.objects.filter(parent_id=unit_id)
        | (CustomsUnit.objects.filter(parent__parent_id=unit_id))
    )


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Enterprises this user may see: officers by district, enterprise staff their own, others none."""
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    if is_customs_officer(user):
        if _is_gacc(user):
            return Enterprise.objects.all()
        return Enterprise.objects.filter(customs_unit__in=units_visible_to(user).values("id"))
    if user.enterprise_id is not None:
        return Enterprise.objects.filter(id=user.enterprise_id)
    return Enterprise.objects.none()


def can_see_enterprise(user, enterprise: Enterprise) -> bool:
    return enterprises_visible_to(user).filter(id=enterprise.id).exists()


def can_officiate(user, enterprise: Enterprise) -> bool:
    """A customs officer responsible for this enterprise (lifecycle, key-enterprise flag)."""
    return is_customs_officer(user) and enterprises_visible_to(user).filter(id=enterprise.id).exists()


def can_manage_enterprise(user, enterprise: Enterprise) -> bool:
    """A customs officer of the enterprise's district, or the enterprise's own administrator
    (legal representative or a delegated person): may act on behalf of the enterprise."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_customs_officer(user):
        return can_officiate(user, enterprise)
    return user.enterprise_id == enterprise.id and user.administers_enterprise


def rounds_visible_to(user) -> QuerySet[SelectionRound]:
    """Rounds an officer runs: those of a customs unit in their district."""
    if not is_customs_officer(user):
        return SelectionRound.objects.none()
    if _is_gacc(user):
        return SelectionRound.objects.all()
    return SelectionRound.objects.filter(customs_unit__in=units_visible_to(user).values("id"))
