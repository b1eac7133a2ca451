"""Bilingual model fields: Chinese is the primary value, English the optional second."""

from django.utils.translation import get_language


class TranslatedField:
    """Read `<name>_zh` or `<name>_en` according to the active language, falling back to Chinese."""

    def __init__(self, zh_field: str, en_field: str) -> None:
        self.zh_field = zh_field
        self.en_field = en_field

    def __get__(self, instance, owner):
        if instance is None:
            return self
        if (get_language() or "").startswith("en"):
            return getattr(instance, self.en_field) or getattr(instance, self.zh_field)
        return getattr(instance, self.zh_field) or getattr(instance, self.en_field)
