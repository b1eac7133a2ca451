"""URL table rows of `certificates` (issue 11, point 7): the public verification page (by an
unguessable token), the PDF for its holder and the officers of the holder's district, and the
back office (list, detail, revoke) for officers of the holder's district and GACC (lead trainers
for course certificates: tests/certificates/test_back_office.py)."""

from . import BACK_OFFICE, GACC, OFFICER, OTHER_OFFICER, STAFF, TRAINER, Row, Rule, answers, only, signed_in

# Back-office users without the certificate scope: trainers (not lead trainers) find nothing.
SCOPED = only((OFFICER, GACC)) | {OTHER_OFFICER: 404, TRAINER: 404}


def _certificate(w):
    return {"pk": w.certificate.pk}


ROWS = [
    Row("certificates:verify", answers(200), kwargs=lambda w: {"token": w.certificate.token}),
    Row(
        "certificates:download",
        signed_in(403, **{STAFF: 200, OFFICER: 200, GACC: 200, OTHER_OFFICER: 404}),
        kwargs=lambda w: {"number": w.certificate.number},
    ),
    # The list: officers see their district's holders (another district's officer an empty list);
    # a trainer without the lead role is sent back to the dashboard.
    Row("certificate:index", only((OFFICER, OTHER_OFFICER, GACC)) | {TRAINER: 302}, query={"status": "valid"}),
    Row("certificate:inspect", SCOPED, kwargs=_certificate),
    # The revoke page asks `may_manage_certificates` first: a plain trainer goes back to the dashboard.
    Row("certificate:revoke", SCOPED | {TRAINER: 302}, kwargs=_certificate),
    Row(
        "certificate:revoke",
        only((OFFICER, GACC), 302) | {OTHER_OFFICER: 404, TRAINER: 302},
        method="POST",
        kwargs=_certificate,
        data={"reason": "证书信息有误", "confirm": "on"},
    ),
]

RULES = [
    # Add, edit, copy, delete, history and usage of the viewset: nobody edits a certificate.
    Rule(
        r"^admin/certificate/",
        only(BACK_OFFICE, 302) | {OTHER_OFFICER: 404, TRAINER: 404},
        lambda w: f"/admin/certificate/edit/{w.certificate.pk}/",
    ),
]
