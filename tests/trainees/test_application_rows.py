"""The officers' application list (`/enterprises/applications/`): every cell of a row in the page's
language (Chinese at `/`, English at `/en/`), times in Asia/Shanghai, links to the enterprise with
the language prefix, names escaped; and as many queries for 2 applications as for 30."""

from datetime import UTC, date, datetime

import pytest

from trainees.models import SelectionDecision, SelectionRound, TrainingType

from . import list_rows
from .factories import ApplicationFactory, NomineeFactory, SelectionRoundFactory, enterprise_in, officer, unit

pytestmark = pytest.mark.django_db


def page(client, language: str, query: str = "") -> str:
    return list_rows.page(client, "trainees:application_list", language, query)


def cells(html: str, pk: int) -> list[str]:
    return list_rows.cells(html, "application", pk)


@pytest.fixture
def listed(client):
    """A Shenzhen officer and two applications in a published round: one decided (listed, with a
    planned AEO date, two nominees, two preferred bases, submitted late in the UTC evening), one
    without a decision and without an English enterprise name."""
    client.force_login(officer("5300"))
    round_ = SelectionRoundFactory(customs_unit=unit("5300"), name="2027年第一季度 深圳关区", status="published")
    decided = ApplicationFactory(
        round=round_,
        enterprise=enterprise_in("5301", name_zh="深圳测试企业有限公司", name_en="Shenzhen Test Co., Ltd."),
        training_type=TrainingType.COMPLIANCE,
        willingness="strong",
        planned_aeo_application_date=date(2027, 7, 29),
        preferred_bases=["shenzhen", "guangzhou"],
        submitted_at=datetime(2027, 1, 5, 17, 30, tzinfo=UTC),  # 2027-01-06 01:30 in Shanghai
    )
    NomineeFactory.create_batch(2, application=decided)
    SelectionDecision.objects.create(
        round=round_, application=decided, outcome="listed", rank=1, total=2, policy_version=1
    )
    pending = ApplicationFactory(
        round=round_,
        enterprise=enterprise_in("5301", name_zh="仅有中文名称的企业", name_en=""),
        willingness="moderate",
        preferred_bases=[],
        submitted_at=datetime(2027, 1, 6, 2, 0, tzinfo=UTC),
    )
    return decided, pending


def test_rows_in_chinese(client, listed):
    decided, pending = listed
    html = page(client, "zh-hans")
    futian = unit("5301")
    assert cells(html, decided.pk) == [
        "2027-01-06 01:30",
        f'<a href="/enterprises/{decided.enterprise_id}/">深圳测试企业有限公司</a><br>'
        f'<span class="muted">{futian.name_zh}</span>',
        "2027年第一季度 深圳关区",
        "合规培训",
        '强烈<br><span class="muted">2027-07-29</span>',
        "2",
        "深圳、广州",
        '<span class="badge badge--success">已列入重点培训名单</span>',
    ]
    pending_cells = cells(html, pending.pk)
    assert pending_cells[0] == "2027-01-06 10:00"
    assert pending_cells[1].startswith(f'<a href="/enterprises/{pending.enterprise_id}/">仅有中文名称的企业</a>')
    assert pending_cells[4:] == ["一般", "0", "", '<span class="muted">待定</span>']


def test_rows_in_english(client, listed):
    decided, pending = listed
    html = page(client, "en")
    futian = unit("5301")
    assert cells(html, decided.pk) == [
        "2027-01-06 01:30",
        f'<a href="/en/enterprises/{decided.enterprise_id}/">Shenzhen Test Co., Ltd.</a><br>'
        f'<span class="muted">{futian.name_en or futian.name_zh}</span>',
        "2027年第一季度 深圳关区",
        "Compliance training",
        'Strong<br><span class="muted">2027-07-29</span>',
        "2",
        "Shenzhen、Guangzhou",
        '<span class="badge badge--success">On the key training list</span>',
    ]
    pending_cells = cells(html, pending.pk)
    # No English name: the Chinese one, as everywhere else on the site.
    assert pending_cells[1].startswith(f'<a href="/en/enterprises/{pending.enterprise_id}/">仅有中文名称的企业</a>')
    assert pending_cells[4:] == ["Moderate", "0", "", '<span class="muted">pending</span>']


def test_an_outcome_shows_only_once_the_round_is_published(client, listed):
    decided, _ = listed
    SelectionRound.objects.filter(pk=decided.round_id).update(status="closed")
    assert cells(page(client, "en"), decided.pk)[7] == '<span class="muted">pending</span>'


def test_names_are_escaped(client, listed):
    decided, _ = listed
    decided.enterprise.name_zh = "<b>粗体</b>企业"
    decided.enterprise.save()
    SelectionRound.objects.filter(pk=decided.round_id).update(name="<i>轮次</i>")
    row = cells(page(client, "zh-hans"), decided.pk)
    assert "&lt;b&gt;粗体&lt;/b&gt;企业</a>" in row[1]
    assert row[2] == "&lt;i&gt;轮次&lt;/i&gt;"


def test_the_round_filter_keeps_its_choice(client, listed):
    decided, _ = listed
    other = ApplicationFactory(round=SelectionRoundFactory(customs_unit=unit("5300")))
    html = page(client, "zh-hans", f"?round={decided.round_id}")
    assert f'<option value="{decided.round_id}" selected>2027年第一季度 深圳关区</option>' in html
    assert f'data-application-id="{other.pk}"' not in html
    assert f'data-application-id="{decided.pk}"' in html


def queries(client, language: str) -> tuple[int, int]:
    return list_rows.queries(client, "trainees:application_list", language, "application")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_as_many_queries_for_2_applications_as_for_30(client, language):
    client.force_login(officer("5300"))
    round_ = SelectionRoundFactory(customs_unit=unit("5300"), status="published")

    def add(n):
        for application in ApplicationFactory.create_batch(n, round=round_, preferred_bases=["suzhou"]):
            NomineeFactory(application=application)
            SelectionDecision.objects.create(
                round=round_, application=application, outcome="not_selected", total=n, policy_version=1
            )

    add(2)
    small, rows = queries(client, language)
    assert rows == 2
    add(28)
    large, rows = queries(client, language)
    assert rows == 25  # one page
    assert large == small
