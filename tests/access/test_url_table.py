"""Issue 7, point 5: every URL (project, API, back office) has an entry in the URL table
(`tests/access/tables/urls_<app>.py`) saying what each role gets; a new URL without one fails
here, and every entry is checked for every role on the demo objects."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from .tables import LOGIN, ROLES, Row, Rule, collect

ROWS, RULES = collect()


def walk(resolver=None, prefix="", namespaces=()):
    """(route, namespaced name) of every URL pattern, through every include."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join((*namespaces, pattern.name)) if pattern.name else None


def decision(route: str, name: str | None) -> Row | Rule | None:
    names = {row.name for row in ROWS}
    if name in names:
        return next(row for row in ROWS if row.name == name)
    return next((rule for rule in RULES if rule.matches(route)), None)


def test_every_url_is_in_the_table():
    undecided = sorted({route for route, name in walk() if decision(route, name) is None})
    assert undecided == [], (
        "These URLs have no entry in tests/access/tables/urls_<app>.py (who may see them?):\n" + "\n".join(undecided)
    )


def test_every_table_row_names_a_url():
    names = {name for _, name in walk()}
    assert sorted(row.name for row in ROWS if row.name not in names) == []


def request(client, method, url, data, api):
    if method == "POST" and api:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data) if method == "POST" else client.get(url, data)


def _check(client, world, method, url, data, expect, api):
    results = {}
    for role in ROLES:
        user = world.users[role]
        client.logout()
        if user is not None:
            client.force_login(user)
        # Each role meets the same world: what one role changes is rolled back for the next.
        with transaction.atomic():
            response = request(client, method, url, data, api)
            transaction.set_rollback(True)
        want = expect[role]
        if want == LOGIN:
            ok = (
                response.status_code == 401
                if api
                else response.status_code == 302 and "login" in response.get("Location", "")
            )
        else:
            ok = response.status_code == want
        if not ok:
            results[role] = (want, response.status_code, response.get("Location", ""))
    return results


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.name}")
def test_row_answers_for_every_role(client, world, row):
    url = row.url(world)
    data = row.resolve(row.data if row.method == "POST" else row.query, world)
    assert _check(client, world, row.method, url, data, row.expect, row.api) == {}, url


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.route)
def test_rule_example_answers_for_every_role(client, world, rule):
    url = rule.example(world) if callable(rule.example) else rule.example
    assert _check(client, world, "GET", url, {}, rule.expect, api=False) == {}, url
