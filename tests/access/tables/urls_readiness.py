"""URL table rows of `readiness` (back office only so far)."""

from . import BACK_OFFICE, Rule, only

RULES = [
    Rule(r"^admin/snippets/(choose/)?readiness/", only(BACK_OFFICE), "/admin/snippets/readiness/criterion/"),
]
