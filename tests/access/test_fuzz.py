"""Issue 7, point 8: no input causes a 5xx. Every URL of the URL table is requested with its
example (kwargs, query parameters, form fields) where each value is replaced by out-of-range
dates, huge numbers, long strings, wrong types and NUL bytes, as GET and POST, by a role that
gets into the view."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from .tables import GACC, LOGIN, ROLES, TRAINER, collect

ROWS, RULES = collect()

BAD_VALUES = (
    "0001-01-01",
    "9999-12-31",
    "1e400",
    "inf",
    "nan",
    str(10**30),
    "x" * 5000,
    "a\x00b",
    "[]",
)


def role_inside(expect) -> str | None:
    """A role the view lets in (any answer but the login page and 403/404), else a signed-in one."""
    for want in (200, 201, 302, 400):
        for role in ROLES:
            if expect[role] == want and want != LOGIN:
                return role
    return ROLES[1]


def field_names(row, world) -> list[str]:
    names = list(row.params)
    names += list(row.resolve(row.query, world)) + list(row.resolve(row.data, world))
    if row.form is not None:
        prefix = getattr(row.form, "prefix", None)
        names += [f"{prefix}-{name}" if prefix else name for name in getattr(row.form, "base_fields", {})]
    return sorted(set(names))


def send(client, method, url, values, api):
    with transaction.atomic():
        try:
            if method == "POST" and api:
                response = client.post(url, json.dumps(values), content_type="application/json")
            elif method == "POST":
                response = client.post(url, values)
            else:
                response = client.get(url, values)
        finally:
            transaction.set_rollback(True)
    return response


def fuzz_requests(row, world):
    """(method, url, values, attributed field) for every bad value."""
    url = row.url(world)
    names = field_names(row, world)
    methods = ["POST"] if row.method == "POST" else (["GET", "POST"] if (row.form or row.data) else ["GET"])
    for method in methods:
        # Each request gives each field a different bad value; over len(BAD_VALUES) requests
        # every field meets every value.
        for i in range(len(BAD_VALUES)):
            yield method, url, {name: BAD_VALUES[(i + j) % len(BAD_VALUES)] for j, name in enumerate(names)}, None
    # String path arguments (tokens, kinds, days) and huge ids.
    kwargs = row.resolve(row.kwargs, world) if row.path is None else {}
    for key, value in kwargs.items():
        for bad in ("x" * 5000, "9999-12-31", "0001-01-01", "a b", str(10**30)):
            if isinstance(value, int) and not bad.isdigit():
                continue
            try:
                yield row.method, reverse(row.name, kwargs={**kwargs, key: bad}), {}, key
            except NoReverseMatch:
                continue


@pytest.mark.django_db
def test_no_input_causes_a_server_error(client, world):
    failures = []
    for row in ROWS:
        role = role_inside(row.expect)
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for method, url, values, key in fuzz_requests(row, world):
            try:
                status = send(client, method, url, values, row.api).status_code
            except Exception as exc:  # noqa: BLE001 - the test client re-raises the view's error
                status, error = 500, f"{type(exc).__name__}: {str(exc)[:120]}"
            else:
                error = ""
            if status < 500:
                continue
            culprits = [key] if key else [n for n in values if _fails_alone(client, method, url, n, values[n], row)]
            shown = {n: values[n][:20] for n in (culprits or values) if n in values}
            failures.append(f"{method} {url[:80]} {row.name} {culprits} {shown}: {status} {error}")
    for rule in RULES:
        client.logout()
        role = role_inside(rule.expect)
        client.force_login(world.users[role])
        url = rule.example(world) if callable(rule.example) else rule.example
        for bad in BAD_VALUES:
            values = dict.fromkeys(("q", "p", "ordering", "page"), bad)
            try:
                status = send(client, "GET", url, values, False).status_code
            except Exception as exc:  # noqa: BLE001
                status = 500
                failures.append(f"GET {url} {bad[:20]!r}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            if status >= 500:
                failures.append(f"GET {url} {bad[:20]!r}: {status}")
    assert failures == []


def _fails_alone(client, method, url, name, value, row) -> bool:
    try:
        return send(client, method, url, {name: value}, row.api).status_code >= 500
    except Exception:  # noqa: BLE001
        return True


def _back_office_form_urls():
    """(url name, kwargs) of the add and edit views of every back-office view set of a model."""
    from .test_scoped_back_office import _model_viewsets

    for viewset, model in _model_viewsets():
        namespace = getattr(viewset, "url_namespace", None) if getattr(viewset, "name", None) else None
        if not namespace:
            continue
        yield viewset, model, namespace


@pytest.mark.django_db
@pytest.mark.parametrize("role", [GACC, TRAINER])
def test_back_office_add_and_edit_forms_take_any_input(client, world, role):
    """Every field of every back-office add/edit form (the form the page shows) gets each bad
    value, with NUL bytes left out (refused before any view); the form answers, never a 5xx."""
    client.force_login(world.users[role])
    failures, sent = [], 0
    for _viewset, model, namespace in _back_office_form_urls():
        instance = model._default_manager.first()
        for name, kwargs in (("add", {}), ("edit", {"pk": instance.pk} if instance else None)):
            if kwargs is None:
                continue
            try:
                url = reverse(f"{namespace}:{name}", kwargs=kwargs)
            except NoReverseMatch:
                continue
            page = client.get(url)
            form = page.context.get("form") if page.status_code == 200 and page.context else None
            if form is None:
                continue
            values = [v for v in BAD_VALUES if "\x00" not in v]
            for i in range(len(values)):
                data = {f: values[(i + j) % len(values)] for j, f in enumerate(form.fields)}
                sent += 1
                try:
                    status = send(client, "POST", url, data, False).status_code
                except Exception as exc:  # noqa: BLE001 - the test client re-raises the view's error
                    failures.append(f"{role} POST {url}: {type(exc).__name__}: {str(exc)[:120]}")
                    continue
                if status >= 500:
                    failures.append(f"{role} POST {url}: {status}")
    assert sent > 0
    assert failures == [], "\n".join(failures)
