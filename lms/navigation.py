"""Main-menu entries contributed by the apps (registered in each AppConfig.ready)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    order: int = 100
    visible: Callable[[object], bool] = lambda user: True


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)


def items_for(user) -> list[tuple[str, str]]:
    """(label, url) of the entries this user may see, in menu order."""
    entries = []
    for item in sorted(_items, key=lambda i: i.order):
        if not item.visible(user):
            continue
        try:
            entries.append((str(item.label), reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return entries
