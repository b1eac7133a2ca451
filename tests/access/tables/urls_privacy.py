"""URL table rows of `privacy`: the privacy notice (public), a person's own data and deletion
request (always and only their own), and the deletion requests officers handle in the back office."""

from privacy.forms import DeletionRequestForm

from . import ANON, OFFICERS, TRAINER, Row, Rule, answers, only, signed_in

ROWS = [
    Row("privacy:notice", answers(200)),
    Row("privacy:my_data", signed_in(200)),
    Row(
        "privacy:my_data",
        signed_in(302),
        method="POST",
        data={"reason": "不再需要账户", "confirm": "on"},
        form=DeletionRequestForm,
        note="the request is recorded and the page shown again",
    ),
    Row("privacy:download", signed_in(200), kwargs={"fmt": "json"}),
    Row("privacy:download", signed_in(404), kwargs={"fmt": "pdf"}, note="only json and zip exist"),
]

RULES = [
    # Trainers work in the back office without this permission: Wagtail sends them to its home.
    Rule(r"^admin/deletion_requests/", only(OFFICERS) | {TRAINER: 302}, "/admin/deletion_requests/"),
]

__all__ = ["ANON", "ROWS", "RULES"]
