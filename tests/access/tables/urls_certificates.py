"""URL table rows of `certificates` (issue 11, point 7): the public verification page (by an
unguessable token) and the PDF for its holder and the officers of the holder's district."""

from . import GACC, OFFICER, OTHER_OFFICER, STAFF, Row, answers, signed_in

ROWS = [
    Row("certificates:verify", answers(200), kwargs=lambda w: {"token": w.certificate.token}),
    Row(
        "certificates:download",
        signed_in(403, **{STAFF: 200, OFFICER: 200, GACC: 200, OTHER_OFFICER: 404}),
        kwargs=lambda w: {"number": w.certificate.number},
    ),
]
