"""Back-office forms and odd input (issue 7, points 4 and 8): a customs-unit chooser re-rendered
after a refused post shows only what the officer may see, and never fails on a value that is not
an id."""

import pytest

from trainees.models import CustomsUnit

from .tables import OFFICER

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/trainees/enterprise/add/"


def test_a_posted_unit_of_another_district_is_refused_without_showing_its_name(client, world):
    client.force_login(world.users[OFFICER])  # Shenzhen
    nanjing = CustomsUnit.objects.get(code="2300")
    response = client.post(ADD, {"name_zh": "测试企业", "customs_unit": nanjing.pk})
    assert response.status_code == 200
    assert response.context["form"].errors.get("customs_unit")
    assert nanjing.name_zh not in response.content.decode()


@pytest.mark.parametrize("value", ["nan", "1e400", "9999-12-31", "x" * 5000, "[]"])
def test_a_unit_that_is_not_an_id_re_renders_the_form(client, world, value):
    client.force_login(world.users[OFFICER])
    response = client.post(ADD, {"name_zh": "测试企业", "customs_unit": value})
    assert response.status_code == 200
    assert response.context["form"].errors.get("customs_unit")
