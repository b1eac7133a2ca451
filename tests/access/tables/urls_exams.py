"""URL table rows of `exams` (back office: question banks, import, export, previews; the exam
pages add their rows here)."""

from . import OFFICERS, TRAINER, Rule, only

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?exams/",
        only((TRAINER, *OFFICERS)),
        "/admin/snippets/exams/question/",
    ),
    # Import, export, question preview, bulk actions and draw preview: the back-office users
    # holding the question-bank permissions (trainers and officers).
    Rule(r"^admin/exams/", only((TRAINER, *OFFICERS)), "/admin/exams/import/"),
    Rule(r"^admin/exams/bulk/", only((TRAINER, *OFFICERS)), "/admin/exams/bulk/"),
]
