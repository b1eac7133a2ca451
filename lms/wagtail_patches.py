"""Two corrections to Wagtail's admin chooser widgets (the buttons that pick a customs unit, an
enterprise, a round...), applied once from `TraineesConfig.ready`:

- a posted value that is not an id (`nan`, a date, 5,000 characters) made the form's re-rendering
  raise (a 500) instead of showing the field's error: it now shows an empty chooser;
- the re-rendered chooser looked the posted id up among *all* rows, so an officer who posted the
  id of another district's unit saw its name: it now looks only among the field's choices, which
  the access module has scoped to the user (`trainees.access.scope_form_choices`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def scope_chooser_lookups() -> None:
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser, "_scoped_lookup", False):
        return

    def get_instance(self, value):
        if value is None:
            return None
        if isinstance(value, self.model_class):
            return value
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None or queryset.model is not self.model_class:
            queryset = self.model_class._default_manager.all()
        try:
            return queryset.filter(pk=value).first()
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    BaseChooser.get_instance = get_instance
    BaseChooser._scoped_lookup = True
