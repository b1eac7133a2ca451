"""Small value types shared with the apps built on `trainees` (no ORM here)."""

from dataclasses import dataclass

# The three AEO training bases (seeds 001, 002). `trainees` stores an enterprise's preferred bases
# as these slugs, so it need not import `training_bases`, whose TrainingBase.slug uses the same values.
TRAINING_BASE_SLUGS: tuple[str, ...] = ("suzhou", "shenzhen", "guangzhou")


@dataclass(frozen=True, slots=True)
class ListedTrainee:
    """One person on a published key training list, in priority order (1 = highest)."""

    user_id: int | None
    person_name: str
    enterprise_id: int
    position: str
    training_type: str
    priority: int
    base_preferences: tuple[str, ...]
    application_id: int
    entry_id: int
    base_slug: str = ""  # the base the published list proposes (KeyListEntry.base_slug)
