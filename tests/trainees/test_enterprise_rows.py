"""The officers' enterprise list (`/enterprises/list/`): every cell of a row in the page's language
(Chinese at `/`, English at `/en/`), links to the enterprise with the language prefix, names
escaped, the district rule kept; and as many queries for 2 enterprises as for 30."""

import pytest

from trainees.models import CreditLevel, CultivationStatus

from . import list_rows
from .factories import enterprise_in, officer, unit

pytestmark = pytest.mark.django_db


def page(client, language: str, query: str = "") -> str:
    return list_rows.page(client, "trainees:enterprise_list", language, query)


def cells(html: str, pk: int) -> list[str]:
    return list_rows.cells(html, "enterprise", pk)


@pytest.fixture
def listed(client):
    """A Shenzhen officer; a key enterprise in training with a credit level and score, one with
    neither, a score of 0 and no English name, and one in Nanjing the officer may not see."""
    client.force_login(officer("5300"))
    key = enterprise_in(
        "5301",
        name_zh="深圳重点企业有限公司",
        name_en="Shenzhen Key Co., Ltd.",
        is_key_enterprise=True,
        credit_level=CreditLevel.objects.get(code="regular"),
        credit_score=88,
        cultivation_status=CultivationStatus.IN_TRAINING,
    )
    plain = enterprise_in("5301", name_zh="仅有中文名称的企业", name_en="", credit_score=0)
    elsewhere = enterprise_in("2301", name_zh="南京企业")
    return key, plain, elsewhere


def test_rows_in_chinese(client, listed):
    key, plain, elsewhere = listed
    html = page(client, "zh-hans")
    futian = unit("5301")
    assert cells(html, key.pk) == [
        f'<a href="/enterprises/{key.pk}/">深圳重点企业有限公司</a> <span class="badge">重点</span>',
        f"<code>{key.credit_code}</code>",
        futian.name_zh,
        "一般信用企业",
        "88",
        '<span class="badge badge--success" data-status="in_training">培训中</span>',
    ]
    assert cells(html, plain.pk) == [
        f'<a href="/enterprises/{plain.pk}/">仅有中文名称的企业</a>',
        f"<code>{plain.credit_code}</code>",
        futian.name_zh,
        "—",
        "0",
        '<span class="badge " data-status="none">未申请</span>',
    ]
    assert f'data-enterprise-id="{elsewhere.pk}"' not in html


def test_rows_in_english(client, listed):
    key, plain, _ = listed
    html = page(client, "en")
    futian = unit("5301")
    assert cells(html, key.pk) == [
        f'<a href="/en/enterprises/{key.pk}/">Shenzhen Key Co., Ltd.</a> <span class="badge">key</span>',
        f"<code>{key.credit_code}</code>",
        futian.name_en or futian.name_zh,
        "Regular credit enterprise",
        "88",
        '<span class="badge badge--success" data-status="in_training">In training</span>',
    ]
    assert cells(html, plain.pk)[0] == f'<a href="/en/enterprises/{plain.pk}/">仅有中文名称的企业</a>'
    assert cells(html, plain.pk)[3:] == [
        "—",
        "0",
        '<span class="badge " data-status="none">Not applied</span>',
    ]


def test_no_score_shows_a_dash(client, listed):
    _, plain, _ = listed
    plain.credit_score = None
    plain.save()
    assert cells(page(client, "en"), plain.pk)[4] == "—"


def test_names_are_escaped_and_filters_apply(client, listed):
    key, plain, _ = listed
    key.name_zh = "<script>x</script>企业"
    key.save()
    html = page(client, "zh-hans", "?status=in_training")
    assert "&lt;script&gt;x&lt;/script&gt;企业</a>" in cells(html, key.pk)[0]
    assert f'data-enterprise-id="{plain.pk}"' not in html


def queries(client, language: str) -> tuple[int, int]:
    return list_rows.queries(client, "trainees:enterprise_list", language, "enterprise")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_as_many_queries_for_2_enterprises_as_for_30(client, language):
    client.force_login(officer("5300"))
    regular = CreditLevel.objects.get(code="regular")
    for _ in range(2):
        enterprise_in("5301", credit_level=regular)
    small, rows = queries(client, language)
    assert rows == 2
    for _ in range(28):
        enterprise_in("5301", credit_level=regular, is_key_enterprise=True)
    large, rows = queries(client, language)
    assert rows == 25  # one page
    assert large == small
