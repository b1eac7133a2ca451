"""URL table rows of `exams` (back office only so far; the exam pages add their rows here)."""

from . import OFFICERS, TRAINER, Rule, only

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?exams/",
        only((TRAINER, *OFFICERS)),
        "/admin/snippets/exams/question/",
    ),
]
