"""The roles of the platform, kept as Django groups (created by data migrations: trainees 0002,
courses for lead trainers, consultations for coordinators)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE_STAFF = "Enterprise staff", _("Enterprise staff")
    TRAINER = "Trainers", _("Trainer")
    VALIDATOR_CANDIDATE = "Validator candidates", _("Validator candidate")
    CUSTOMS_OFFICER = "Customs officers", _("Customs officer")
    INVIGILATOR = "Invigilators", _("Invigilator")
    LEAD_TRAINER = "Lead trainers", _("Lead trainer")
    # Customs contact persons who answer enterprises' consultations (seeds 001, 002). They work on
    # the public site; a coordinator who is also a customs officer reaches the back office as one.
    COORDINATOR = "Coordinators", _("Customs coordinator")


# Roles that work in the Wagtail admin (the back office).
BACK_OFFICE_ROLES = (Role.TRAINER, Role.CUSTOMS_OFFICER, Role.LEAD_TRAINER)
