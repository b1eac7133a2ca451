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
