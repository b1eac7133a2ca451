"""Demo data of personal information: SMS reminders chosen by one person with a verified mobile
number, and a deletion request waiting for an officer."""

from __future__ import annotations


def seed(log) -> None:
    from notices.services import preference_get
    from trainees.models import User

    from .models import DeletionRequest

    texted = User.objects.filter(email="compliance@demo.aeo", phone_verified=True).first()
    if texted is not None:
        pref = preference_get(user=texted)
        pref.sms_reminders = True
        pref.save(update_fields=["sms_reminders"])
    asking = User.objects.filter(email="manager@demo.aeo").first()
    if asking is not None and not DeletionRequest.objects.filter(user=asking).exists():
        DeletionRequest.objects.create(user=asking, reason="已离职，不再参加培训。")
        log("Personal information: one deletion request waits in the back office (Deletion requests).")
