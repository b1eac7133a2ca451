"""Models of the ground-floor app: people, customs units, enterprises, applications, the key
training list and the cultivation lifecycle. Other apps import them from `trainees.models`."""

from .core import (
    RELEVANT_DEPARTMENT_POSITIONS,
    BusinessType,
    CreditLevel,
    CultivationStatus,
    CustomsUnit,
    Enterprise,
    Position,
    TrainingType,
    User,
    UserManager,
)
from .imports import ImportJob
from .lifecycle import CultivationEvent, EnterpriseInvitation
from .privacy import Consent
from .selection import (
    BASE_CHOICES,
    KeyListAdjustment,
    KeyListEntry,
    NominatedTrainee,
    OrderingMode,
    Outcome,
    RoundCapacity,
    SelectionDecision,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    Willingness,
)

__all__ = [
    "BASE_CHOICES",
    "RELEVANT_DEPARTMENT_POSITIONS",
    "BusinessType",
    "Consent",
    "CreditLevel",
    "CultivationEvent",
    "CultivationStatus",
    "CustomsUnit",
    "Enterprise",
    "EnterpriseInvitation",
    "ImportJob",
    "KeyListAdjustment",
    "KeyListEntry",
    "NominatedTrainee",
    "OrderingMode",
    "Outcome",
    "Position",
    "RoundCapacity",
    "SelectionDecision",
    "SelectionPolicy",
    "SelectionRound",
    "TrainingApplication",
    "TrainingType",
    "User",
    "UserManager",
    "Willingness",
]
