"""Model fields that keep identifiers in one form whatever the entry path (back office,
forms, API, imports, scripts)."""

from django.db import models

from lms.spreadsheets import normalize_code


class CodeField(models.CharField):
    """An identifier (credit code, customs code) stored half-width, upper-case and trimmed:
    `to_python` normalises it before validation and uniqueness checks (forms, `full_clean`),
    `pre_save` before every write (`save`, `bulk_create`), `get_prep_value` in lookups and
    `update()`, so "91320500mа…" typed in lower case or full width finds and is the same code."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_code(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_code(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalize_code(value) if isinstance(value, str) else value
