"""Site-wide page behaviour: error pages in the user's language and no asset from a CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db

EXTERNAL_ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', re.IGNORECASE)


def test_missing_page_answers_404_in_chinese_and_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "我们找不到这个页面" in response.content.decode()
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find this page" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/en/", "/accounts/login/", "/search/?q=AEO", "/api/docs"])
def test_pages_load_no_asset_from_another_host(client, path):
    if path == "/api/docs":  # the API documentation is for signed-in staff
        from tests.factories import UserFactory
        from trainees.roles import Role

        client.force_login(UserFactory(roles=[Role.TRAINER]))
    response = client.get(path)
    assert response.status_code == 200
    assert not EXTERNAL_ASSET.search(response.content.decode()), "assets must be served by the application"
