"""The financial figures form as enterprises type figures: full-width digits and thousands
separators are read, negative amounts only where a figure can be negative, a figure left empty is
named as missing, the audit opinion is shown in words, and a forged formset of a thousand forms
is answered with a message (its forms are capped at five)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from readiness import rules, services
from readiness.models import FinancialYear
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from tests.readiness.helpers import HEALTHY
from trainees.models import Position

pytestmark = pytest.mark.django_db
URL = reverse("readiness:financials")
LATEST = timezone.localdate().year - 1


def staff():
    return EnterpriseStaffFactory(enterprise=EnterpriseFactory(), position=Position.FINANCE)


def post_data(**figures) -> dict:
    data = {
        "y-TOTAL_FORMS": "1",
        "y-INITIAL_FORMS": "0",
        "y-MIN_NUM_FORMS": "0",
        "y-MAX_NUM_FORMS": "5",
        "y-0-year": str(LATEST),
        "y-0-audit_opinion": "unqualified",
    }
    data.update({f"y-0-{name}": value for name, value in figures.items()})
    return data


@pytest.mark.parametrize(
    ("figure", "typed", "read"),
    [
        ("total_assets", "１２０００．５０", "12000.50"),
        ("total_assets", "12,000", "12000"),
        ("total_assets", "12，000", "12000"),
        ("total_assets", "1,234,567.5", "1234567.5"),
        ("total_assets", "12 000", "12000"),
        ("total_assets", " 950 ", "950"),
        ("net_profit", "－５", "-5"),
        ("net_profit", "-1,200.5", "-1200.5"),
    ],
)
def test_amounts_are_read_as_people_type_them(client, figure, typed, read):
    user = staff()
    client.force_login(user)
    response = client.post(URL, post_data(**{figure: typed}))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert getattr(FinancialYear.objects.get(enterprise=user.enterprise), figure) == Decimal(read)


@pytest.mark.parametrize("typed", ["1,5", "12,00", "1.000,50", "一千"])
def test_separators_out_of_place_or_words_are_refused(client, typed):
    user = staff()
    client.force_login(user)
    response = client.post(URL, post_data(total_assets=typed))
    assert response.status_code == 200
    assert not FinancialYear.objects.exists()
    form = response.context["formset"].forms[0]
    assert form.errors["total_assets"]


def test_separators_only_between_groups_of_three_digits():
    from readiness.forms import normalise_amount

    with pytest.raises(ValidationError):
        normalise_amount("1,5")
    assert normalise_amount("１，２３４．５") == "1234.5"


def test_negative_balances_are_refused_naming_the_figure_profits_may_be_negative(client):
    user = staff()
    client.force_login(user)
    response = client.post(URL, post_data(total_assets="-100", revenue="-1"))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["total_assets"] == ["资产总额不能为负数。"]
    assert errors["revenue"] == ["营业收入不能为负数。"]
    assert not FinancialYear.objects.exists()
    # A loss is a negative profit: accepted. The page says which figures may be negative.
    response = client.post(URL, post_data(total_assets="100", net_profit="-30", operating_cash_flow="-5"))
    assert response.status_code == 302
    year = FinancialYear.objects.get()
    assert (year.net_profit, year.operating_cash_flow) == (Decimal(-30), Decimal(-5))
    page = client.get(URL).content.decode()
    assert "净利润" in page.split('id="figures-sign"', 1)[1].split("</p>", 1)[0]


def test_the_service_refuses_negative_balances_too():
    user = staff()
    with pytest.raises(ValidationError, match="不能为负数"):
        services.financials_save(
            enterprise=user.enterprise,
            years=[{"year": LATEST, "cash": Decimal(-1)}],
            is_manufacturer=False,
            user=user,
        )
    assert not FinancialYear.objects.exists()


@pytest.mark.parametrize(
    ("figure", "note"),
    [
        ("current_liabilities", "current liabilities missing"),
        ("total_assets", "total assets missing"),
    ],
)
def test_a_figure_not_given_is_named_as_missing_not_as_a_zero_denominator(figure, note):
    figures = rules.FinancialYear(LATEST, **{**HEALTHY, figure: None})
    with translation.override("en"):
        group = rules.solvency_group(rules.FinancialRule(), figures, manufacturer=False)
    notes = [check.note for check in group.checks if check.value is None]
    assert notes and all(n == note for n in notes)
    assert not any("zero or negative" in n for n in notes)


def test_an_empty_figure_shows_as_missing_on_the_page(client):
    user = staff()
    client.force_login(user)
    client.post(URL, post_data(**{name: str(HEALTHY[name]) for name in rules.FIGURES} | {"total_assets": ""}))
    page = client.get(URL).content.decode()
    assert "缺少资产总额" in page
    assert "分母为零或负数" not in page


def test_the_audit_opinion_is_shown_in_words(client):
    user = staff()
    client.force_login(user)
    client.post(URL, post_data(**{name: str(HEALTHY[name]) for name in rules.FIGURES}))
    page = client.get(URL).content.decode()
    assert "unqualified</span>" not in page and "审计意见 <span" in page
    assert '<span class="muted">无保留意见</span>' in page
    # "Qualified" is an auditor's opinion here (保留意见), not a person's qualification.
    assert '<option value="qualified">保留意见</option>' in page
    with translation.override("en"):
        check = rules.audit_opinion_group(rules.FinancialYear(LATEST, audit_opinion="qualified")).checks[0]
    assert check.note == "Qualified"


def test_a_forged_formset_of_a_thousand_forms_is_answered_with_a_message(client):
    user = staff()
    client.force_login(user)
    data = post_data(total_assets="100") | {"y-TOTAL_FORMS": "1000"}
    response = client.post(URL, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) <= 5  # never a thousand forms built
    assert "最多填写 5 个会计年度的数据" in response.content.decode()
    assert not FinancialYear.objects.exists()


def test_the_formset_caps_its_forms():
    from readiness.forms import FinancialYearFormSet

    formset = FinancialYearFormSet({"y-TOTAL_FORMS": "100000", "y-INITIAL_FORMS": "0"}, prefix="y")
    assert formset.total_form_count() == 5 and not formset.is_valid()


def test_empty_years_are_not_a_problem(client):
    user = staff()
    client.force_login(user)
    data = post_data(total_assets="12,000") | {"y-TOTAL_FORMS": "2", "y-1-year": str(LATEST - 1)}
    assert client.post(URL, data).status_code == 302
    assert list(FinancialYear.objects.values_list("year", flat=True)) == [LATEST]
