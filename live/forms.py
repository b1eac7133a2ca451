"""Back-office form of a live observation session: the course it belongs to is chosen from the
course catalogue by its title (the session stores the course's translation key, the same in
every language)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


def _key(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class LiveSessionForm(WagtailAdminModelForm):
    course_key = forms.TypedChoiceField(
        label=_("course"),
        coerce=_key,
        help_text=_("Attending this session live completes the course's live observation item."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.models import Locale

        from courses.models import CoursePage

        pages = CoursePage.objects.filter(locale=Locale.get_default()).order_by("title")
        choices = [("", "---------")]
        for key, title, needs_live in pages.values_list("translation_key", "title", "requires_live_observation"):
            label = _("%(title)s (requires a live observation)") % {"title": title} if needs_live else title
            choices.append((str(key), label))
        current = self.initial.get("course_key")
        if current and str(current) not in {value for value, _label in choices}:
            choices.append((str(current), _("Course no longer in the catalogue")))
        self.fields["course_key"].choices = choices
