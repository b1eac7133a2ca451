"""Use cases of the question bank: import and export (GIFT, Moodle XML), versions, bulk actions,
blueprint checks and draws. Each write is one transaction; imports are all-or-nothing.

Readiness is reached only through `apps.get_model("readiness", ...)`: exams never imports it."""

from .draws import (
    DrawResult,
    _pool,
    blueprint_draw,
    blueprint_shortage_messages,
    draw_reproduce,
    paper_for_candidate,
)
from .interchange import (
    AREA_TAG,
    CONTENT_FIELDS,
    DEFAULT_EDITION,
    DEFAULT_MAX_BYTES,
    ImportReport,
    bank_export,
    bank_import,
)
from .versions import (
    content_hash,
    question_record_version,
    question_save,
    questions_move,
    questions_retire,
    sanitised,
)

__all__ = [
    "AREA_TAG",
    "CONTENT_FIELDS",
    "DEFAULT_EDITION",
    "DEFAULT_MAX_BYTES",
    "DrawResult",
    "ImportReport",
    "_pool",
    "bank_export",
    "bank_import",
    "blueprint_draw",
    "blueprint_shortage_messages",
    "content_hash",
    "draw_reproduce",
    "paper_for_candidate",
    "question_record_version",
    "question_save",
    "questions_move",
    "questions_retire",
    "sanitised",
]
