"""Bilingual model fields: Chinese is the primary value, English the optional second."""

from collections.abc import Callable, Iterable

from django.utils.translation import get_language


def english_active() -> bool:
    """True when the active language is English (`en`, `en-gb`…); Chinese otherwise, and when no
    language is active."""
    return (get_language() or "").startswith("en")


def _zh_first(zh: str, en: str) -> str:
    return zh or en


def _en_first(zh: str, en: str) -> str:
    return en or zh


class TranslatedField:
    """Read `<name>_zh` or `<name>_en` according to the active language, falling back to Chinese."""

    def __init__(self, zh_field: str, en_field: str) -> None:
        self.zh_field = zh_field
        self.en_field = en_field

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return translated_reader()(getattr(instance, self.zh_field), getattr(instance, self.en_field))


def translated_reader() -> Callable[[str, str], str]:
    """What `TranslatedField` reads, as a function of the Chinese and the English value, for the
    language active now: looked up once for a list's rows read with `values()`."""
    return _en_first if english_active() else _zh_first


def choice_labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """The labels of a field's choices in the active language, by value: what `get_FOO_display`
    shows, translated once for all the rows of a list."""
    return {value: str(label) for value, label in choices}
