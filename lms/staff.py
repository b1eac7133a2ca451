"""Who counts as staff for the technical pages (API documentation, health details)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_staff_user(user) -> bool:
    """A signed-in person who works in the back office (trainers, officers, superusers; the
    roles in `trainees.roles.BACK_OFFICE_ROLES`) or has Django's staff flag."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or getattr(user, "works_in_back_office", False))


def staff_only(view):
    """View decorator: anonymous visitors go to the login page, other non-staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
