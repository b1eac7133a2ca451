"""Reading the rows of an officers' list page (`<tr data-<kind>-id="…">`) in a given language, and
counting the queries of a page, for the row tests of the application and enterprise lists."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation


def page(client, viewname: str, language: str, query: str = "") -> str:
    """The page's HTML at its address in `language` (`/` Chinese, `/en/` English); asserts 200."""
    with translation.override(language):
        url = reverse(viewname)
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def cells(html: str, kind: str, pk: int) -> list[str]:
    """The inner HTML of each cell of the row `data-<kind>-id="<pk>"`."""
    row = re.search(rf'<tr data-{kind}-id="{pk}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {kind} {pk}"
    return [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def queries(client, viewname: str, language: str, kind: str) -> tuple[int, int]:
    """(queries run, rows shown) for the page, once per-process caches are warm."""
    page(client, viewname, language)
    with CaptureQueriesContext(connection) as ctx:
        html = page(client, viewname, language)
    return len(ctx), html.count(f"data-{kind}-id=")
