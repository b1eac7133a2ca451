"""The URL table (issue 7, point 5): for every URL of the project, the API and the back office,
what each role must get on the demo objects of `tests.access.world`.

How an app adds its URLs: create `tests/access/tables/urls_<app>.py` defining

    ROWS: list[Row]    # one row per URL name (namespaced, e.g. "courses:lesson")
    RULES: list[Rule]  # optional: groups of URLs decided by a route regex (back-office prefixes)

`collect()` imports every `urls_*.py` module here; `test_url_table.py` fails when a resolvable
URL pattern is matched by no row and no rule, and checks every row's answers for every role;
`test_fuzz.py` reuses each row's example request (kwargs, query, data, params, form).
Roles added by later issues go into `ROLES` and `tests.access.world.World.users`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ANON = "anonymous"
STAFF = "enterprise_staff"
ADMIN = "enterprise_admin"
OTHER_STAFF = "other_enterprise_staff"
TRAINER = "trainer"
OFFICER = "district_officer"
OTHER_OFFICER = "other_district_officer"
GACC = "gacc_officer"
INVIGILATOR = "invigilator"
CANDIDATE = "validator_candidate"
COORDINATOR = "district_coordinator"  # a customs coordinator of the district (not an officer)
ROLES = (ANON, STAFF, ADMIN, OTHER_STAFF, TRAINER, OFFICER, OTHER_OFFICER, GACC, INVIGILATOR, CANDIDATE, COORDINATOR)
SIGNED_IN = ROLES[1:]
BACK_OFFICE = (TRAINER, OFFICER, OTHER_OFFICER, GACC)
OFFICERS = (OFFICER, OTHER_OFFICER, GACC)
ENTERPRISE = (STAFF, ADMIN, OTHER_STAFF)

LOGIN = "login"  # 302 to the login page (or 401 for the JSON API)


def answers(default: int | str, **by_role: int | str) -> dict[str, int | str]:
    """Every role gets `default` except those named (role=answer)."""
    table = dict.fromkeys(ROLES, default)
    table.update(by_role)
    return table


def signed_in(default: int | str, **by_role: int | str) -> dict[str, int | str]:
    """Anonymous people go to the login page; signed-in roles get `default` unless named."""
    return answers(default, **{ANON: LOGIN, **by_role})


def only(roles, ok: int | str = 200, others: int | str = 403) -> dict[str, int | str]:
    """`roles` get `ok`; other signed-in roles `others`; anonymous the login page."""
    return signed_in(others, **dict.fromkeys(roles, ok))


@dataclass(frozen=True)
class Row:
    """One URL name and what each role gets on one example request.

    kwargs: URL kwargs, a dict or a function of the World (demo objects).
    query / data: example query string and POST body (dicts, or functions of the World).
    params: names of the query parameters the view reads (fuzzed with bad values).
    form: a form class whose fields the view reads from POST (fuzzed too).
    """

    name: str
    expect: Mapping[str, int | str]
    method: str = "GET"
    kwargs: Mapping[str, Any] | Callable = field(default_factory=dict)
    query: Mapping[str, Any] | Callable = field(default_factory=dict)
    data: Mapping[str, Any] | Callable = field(default_factory=dict)
    params: tuple[str, ...] = ()
    form: type | None = None
    api: bool = False
    path: str | Callable | None = None  # instead of reversing `name` (regex routes)
    note: str = ""

    def resolve(self, value, world):
        return value(world) if callable(value) else dict(value)

    def url(self, world) -> str:
        from django.urls import reverse

        if self.path is not None:
            return self.path(world) if callable(self.path) else self.path
        return reverse(self.name, kwargs=self.resolve(self.kwargs, world))


@dataclass(frozen=True)
class Rule:
    """A group of URL patterns decided together by a regex on the route (e.g. Wagtail's own
    back-office views), checked on one example path."""

    route: str
    expect: Mapping[str, int | str]
    example: str | Callable
    note: str = ""

    def matches(self, route: str) -> bool:
        return re.match(self.route, route) is not None


def collect() -> tuple[list[Row], list[Rule]]:
    rows: list[Row] = []
    rules: list[Rule] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("urls_"):
            mod = importlib.import_module(f"{__name__}.{module.name}")
            rows += getattr(mod, "ROWS", [])
            rules += getattr(mod, "RULES", [])
    return rows, rules
