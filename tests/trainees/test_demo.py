"""The demo data: idempotent, and it gives the training bases a published key training list."""

import pytest

from trainees import demo
from trainees.models import CultivationEvent, Enterprise, SelectionRound, TrainingApplication
from trainees.selectors import key_list_trainees

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_publishes_a_key_list():
    demo.seed(lambda message: None)
    counts = (
        Enterprise.objects.count(),
        TrainingApplication.objects.count(),
        CultivationEvent.objects.count(),
        SelectionRound.objects.count(),
    )
    demo.seed(lambda message: None)
    assert counts == (
        Enterprise.objects.count(),
        TrainingApplication.objects.count(),
        CultivationEvent.objects.count(),
        SelectionRound.objects.count(),
    )
    assert counts[0] >= 30
    assert {r.status for r in SelectionRound.objects.all()} == {"open", "closed", "published"}
    for training_type in ("compliance", "aeo_certification"):
        listed = key_list_trainees(training_type=training_type)
        assert listed and [t.priority for t in listed] == list(range(1, len(listed) + 1))
    listed_users = {t.user_id for t in key_list_trainees(training_type="aeo_certification") if t.user_id}
    assert len(listed_users) >= 3  # legal@, compliance@, manager@


def test_demo_dates_follow_the_day_it_is_seeded():
    from django.utils import timezone

    demo.seed(lambda message: None)
    today = timezone.localdate()
    for round_ in SelectionRound.objects.all():
        if round_.status == "open":
            assert round_.applications_close_on > today, round_.name
        else:  # closed or published: applications closed in the past
            assert round_.applications_close_on < today, round_.name
    barred = Enterprise.objects.exclude(application_bar_until=None)
    assert barred and all(e.application_bar_until > today for e in barred)


def test_demo_codes_carry_the_enterprise_citys_division():
    """GB 32100: characters 3-8 of the credit code are the city's division; the customs code's
    first four digits are the same city."""
    demo.seed(lambda message: None)
    for enterprise in Enterprise.objects.all():
        for city, division in demo.CITY_DIVISIONS.items():
            if enterprise.name_zh.startswith(city):
                assert enterprise.credit_code[2:8] == division, enterprise.name_zh
                assert enterprise.customs_code[:4] == division[:4], enterprise.name_zh
    shenzhen = Enterprise.objects.get(name_zh="深圳海川电子科技有限公司")
    assert shenzhen.credit_code[2:8] == "440300"
