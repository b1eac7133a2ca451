"""Who may work on question banks: trainers write questions, customs officers read them;
candidates never reach them."""

from lms.migration_utils import grant_model_permissions

GRANTS = {"Trainers": r"^(add|change|view|delete)_", "Customs officers": r"^view_"}


def load(apps) -> None:
    grant_model_permissions(apps, "exams", GRANTS)
