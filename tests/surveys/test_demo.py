"""Demo data (issue 17, "Done means: surveys have responses"): an ended Shenzhen session whose
anonymous survey three demo trainees answered, visible to Shenzhen's officer, and an open survey
for compliance@demo.aeo. Idempotent."""

import pytest
from django.core.management import call_command

from surveys import selectors
from surveys.models import Survey, SurveyInvitation
from trainees.access import scoped
from trainees.models import User

pytestmark = pytest.mark.django_db


def test_demo_has_surveys_with_responses():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    session_survey = Survey.objects.get(event_kind="training_session")
    assert session_survey.responses.count() == 3 and session_survey.anonymous
    assert selectors.survey_results(session_survey).shown
    officer = User.objects.get(email="officer.shenzhen@demo.aeo")
    assert list(scoped(Survey, officer)) == [session_survey]
    figures = selectors.satisfaction(district_ids=[session_survey.customs_unit_id], start=None, end=None)
    assert (figures.invited, figures.responses, figures.response_rate) == (3, 3, 100.0)
    live_invitation = SurveyInvitation.objects.get(survey__event_kind="live_session")
    assert live_invitation.user.email == "compliance@demo.aeo"
    assert not SurveyInvitation.objects.filter(notified_at__isnull=True).exists()
