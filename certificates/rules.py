"""Pure rules of certificates (ARCHITECTURE.md "Certificates")."""

from __future__ import annotations

import datetime as dt


def certificate_number(*, prefix: str, year: int, sequence: int) -> str:
    """Reference number printed on the certificate: AEO-<kind letter>-<year>-<6 digits>. It is
    sequential and therefore never used to reach the public verification page."""
    return f"AEO-{prefix}-{year}-{sequence:06d}"


def is_valid(*, status: str, valid_until: dt.date | None, today: dt.date) -> bool:
    """Valid unless revoked or past its validity date."""
    return status == "valid" and (valid_until is None or today <= valid_until)
