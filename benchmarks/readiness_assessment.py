"""Judge a full 2026-advanced self-assessment (74 sub-items + five years of figures) with the pure
rules, and count the queries of the self-assessment page at two sizes (sub-items and versions).

Targets (issue 15): judging < 5 ms; page queries constant in sub-items and versions.
Prints the median and best of 200 judgements, then the page's queries for 74 sub-items / 1
version and for 92 sub-items / 6 versions. Runs on a scratch PostgreSQL database.
Run: .venv/bin/python benchmarks/readiness_assessment.py"""

import dataclasses
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch_db

DB = "bench_readiness"
scratch_db.configure(DB)
scratch_db.recreate(DB)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)

from allauth.account.models import EmailAddress  # noqa: E402

from readiness import selectors, services  # noqa: E402
from readiness.models import CriteriaEdition, FinancialYear, Judgement  # noqa: E402
from trainees.models import BusinessType, CustomsUnit, Enterprise, Position, User  # noqa: E402

today = timezone.localdate()
unit = CustomsUnit.objects.create(code="B001", name_zh="基准海关", level="local")
edition = CriteriaEdition.objects.get(code="2026-advanced")


def enterprise_with_assessment(n: int, business: list[str], versions: int):
    enterprise = Enterprise.objects.create(
        name_zh=f"基准企业{n}", credit_code=f"91320500MA{n:07d}X"[:18], customs_code=f"32059{n:05d}", customs_unit=unit
    )
    enterprise.business_types.set(BusinessType.objects.filter(code__in=business))
    user = User.objects.create_user(
        email=f"bench{n}@example.com", password="x", enterprise=enterprise, position=Position.LEGAL_REPRESENTATIVE
    )
    # Sessions of accounts without a verified address are ended (trainees.middleware).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for offset in range(5):
        FinancialYear.objects.create(
            enterprise=enterprise,
            year=today.year - 1 - offset,
            **{name: Decimal(v) for name, v in FIGURES.items()},
            audit_opinion="unqualified",
        )
    assessment = services.assessment_start(enterprise=enterprise, edition=edition, user=user)
    Judgement.objects.filter(assessment=assessment).update(value="meets")
    for _ in range(versions):
        services.assessment_submit(assessment=assessment, user=user, today=today)
    return user, assessment


FIGURES = {
    "total_assets": 1000,
    "total_liabilities": 500,
    "cash": 100,
    "current_assets": 400,
    "current_liabilities": 300,
    "operating_cash_flow": 80,
    "revenue": 2000,
    "operating_profit": 60,
    "net_profit": 50,
    "gross_profit": 300,
}

user, assessment = enterprise_with_assessment(1, [], 1)
page = selectors.assessment_page(assessment=assessment)
rules_in = selectors.edition_rules(edition=edition, criteria=page["criteria"])
values = {str(pk): j.value for pk, j in page["judgements"].items()}
years = selectors.financial_years(enterprise_id=assessment.enterprise_id)
from readiness.rules import judge_assessment  # noqa: E402

timings = []
for _ in range(200):
    start = time.perf_counter()
    verdict = judge_assessment(rules_in, values, years, today=today)
    timings.append((time.perf_counter() - start) * 1000)
print(
    f"judge_assessment, {len(rules_in.sub_items)} sub-items + 5 years given (1 checked, the edition's default): "
    f"median {statistics.median(timings):.2f} ms, best {min(timings):.2f} ms ({verdict.outcome})"
)
# The same with the checks looking at all five years (as the 2022 edition does).
five_years = dataclasses.replace(rules_in, financial_rule=dataclasses.replace(rules_in.financial_rule, years=5))
timings = []
for _ in range(200):
    start = time.perf_counter()
    verdict = judge_assessment(five_years, values, years, today=today)
    timings.append((time.perf_counter() - start) * 1000)
print(
    f"judge_assessment, {len(rules_in.sub_items)} sub-items + 5 years checked: "
    f"median {statistics.median(timings):.2f} ms, best {min(timings):.2f} ms ({verdict.outcome})"
)


def page_queries(user, assessment) -> int:
    client = Client()
    client.force_login(user)
    url = reverse("readiness:assessment_detail", args=[assessment.pk])
    client.get(url)  # warm the per-process caches (site, locales, menus) the first pages fill
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


with override_settings(ALLOWED_HOSTS=["testserver"]):
    small = page_queries(user, assessment)
    big_user, big = enterprise_with_assessment(2, ["health_quarantine", "plant_animal_quarantine", "food_cosmetics"], 6)
    n_small = len(selectors.applicable_criteria(enterprise=user.enterprise, edition=edition))
    n_big = len(selectors.applicable_criteria(enterprise=big_user.enterprise, edition=edition))
    print(
        f"self-assessment page: {n_small} sub-items / 1 version: {small} queries; {n_big} sub-items / 6 versions: {page_queries(big_user, big)} queries"
    )
