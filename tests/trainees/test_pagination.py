"""Long officer lists come in pages, with the same number of queries for a few rows or many
(issue 9, point 3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainees.factories import ApplicationFactory, SelectionRoundFactory
from tests.training_bases.factories import officer
from trainees.views import OFFICER_LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db


def rounds_page(client, query: str = "") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("trainees:round_list") + query)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_round_list_is_paginated_with_a_constant_query_count(client):
    client.force_login(officer())
    SelectionRoundFactory.create_batch(3)
    rounds_page(client)  # warm per-process caches
    small, html = rounds_page(client)
    assert html.count("data-round-id=") == 3
    assert 'class="pagination"' not in html

    SelectionRoundFactory.create_batch(OFFICER_LIST_PAGE_SIZE + 2)
    large, html = rounds_page(client)
    assert html.count("data-round-id=") == OFFICER_LIST_PAGE_SIZE
    assert 'class="pagination"' in html
    assert large == small
    _, html = rounds_page(client, "?page=2")
    assert html.count("data-round-id=") == 5
    _, html = rounds_page(client, "?page=not-a-number")
    assert html.count("data-round-id=") == OFFICER_LIST_PAGE_SIZE


@pytest.mark.parametrize(
    ("url_name", "marker", "make"),
    [
        ("trainees:application_list", "data-application-id=", lambda n: ApplicationFactory.create_batch(n)),
        ("trainees:enterprise_list", "data-enterprise-id=", lambda n: ApplicationFactory.create_batch(n)),
    ],
)
def test_applications_and_enterprises_come_in_pages_of_the_officer_list_size(client, url_name, marker, make):
    client.force_login(officer())
    make(OFFICER_LIST_PAGE_SIZE + 3)
    first = client.get(reverse(url_name)).content.decode()
    second = client.get(reverse(url_name) + "?page=2").content.decode()
    assert first.count(marker) == OFFICER_LIST_PAGE_SIZE
    assert 'class="pagination"' in first
    assert second.count(marker) >= 3
