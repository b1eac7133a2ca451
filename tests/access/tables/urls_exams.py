"""URL table rows of `exams` (back office: question banks, import, export, previews; the exam
pages add their rows here)."""

from . import OFFICERS, TRAINER, Rule, only

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?exams/",
        only((TRAINER, *OFFICERS)),
        "/admin/snippets/exams/question/",
    ),
    # Import, export, question preview, bulk actions and draw preview: trainers hold the
    # question-bank permissions; officers without them are sent back to the dashboard (302).
    Rule(r"^admin/exams/", only((TRAINER,)) | dict.fromkeys(OFFICERS, 302), "/admin/exams/import/"),
    Rule(r"^admin/exams/bulk/", only((TRAINER,)) | dict.fromkeys(OFFICERS, 302), "/admin/exams/bulk/"),
]
