"""The five roles of the platform, kept as Django groups (created by migration 0002)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE_STAFF = "Enterprise staff", _("Enterprise staff")
    TRAINER = "Trainers", _("Trainer")
    VALIDATOR_CANDIDATE = "Validator candidates", _("Validator candidate")
    CUSTOMS_OFFICER = "Customs officers", _("Customs officer")
    INVIGILATOR = "Invigilators", _("Invigilator")
    LEAD_TRAINER = "Lead trainers", _("Lead trainer")


# Roles that work in the Wagtail admin (the back office).
BACK_OFFICE_ROLES = (Role.TRAINER, Role.CUSTOMS_OFFICER, Role.LEAD_TRAINER)
