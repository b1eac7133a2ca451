"""The language switch: the header's language links post here for a signed-in person, so the
choice is stored as `User.language` (every notice is sent in it), then the page is shown in
that language. The link already points to the page in the other language (Wagtail translations
included), so it is followed as given, unlike Django's `set_language`, which would translate it
again."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.views.decorators.http import require_POST

from lms.redirects import safe_next

from . import services


@require_POST
def set_language(request):
    """Anyone may switch (the cookie); a signed-in person's choice is also recorded. An unknown
    language changes nothing; a foreign `next` goes to the home page."""
    response = HttpResponseRedirect(safe_next(request, request.POST.get("next"), "/"))
    try:
        code = services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    except LookupError:
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
