"""The language switch: Django's `set_language` (cookie, redirect to the page in that language)
that also records the choice on the signed-in person, so their notices follow it."""

from contextlib import suppress

from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import services


@require_POST
def set_language(request):
    """Anyone may switch; a signed-in person's choice is also stored as `User.language`."""
    if request.user.is_authenticated:
        # Django's view ignores an unknown language too, and just redirects.
        with suppress(LookupError):
            services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return django_set_language(request)
