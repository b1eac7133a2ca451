"""Demo certificate for the back office (issue 11 point 7): a course certificate of an earlier
year that a customs officer revoked, so the certificate list, its revoked filter and the public
verification page's "revoked" status have something to show. Idempotent."""

import datetime as dt

from django.utils import timezone

from trainees.models import User

from .models import Certificate
from .services import certificate_issue, certificate_revoke

SUBJECT = "course:demo-superseded-2025"
REASON = "课程已按 2026 年认证标准重修，旧版证书作废。"


def seed(log) -> None:
    holder = User.objects.filter(email="manager@demo.aeo").first()
    officer = User.objects.filter(email="officer.shenzhen@demo.aeo").first()
    if holder is None:
        return
    certificate = certificate_issue(
        holder=holder,
        kind=Certificate.Kind.COURSE,
        subject=SUBJECT,
        title_zh="AEO 认证培训（2022 版标准，已被新标准取代）",
        title_en="AEO certification training (2022 criteria, superseded)",
        hours=8,
        issued_on=timezone.localdate() - dt.timedelta(days=400),
    )
    if certificate.status == Certificate.Status.VALID:
        certificate_revoke(certificate_id=certificate.pk, reason=REASON, actor=officer)
    log(f"certificates: {certificate.number} (revoked) for {holder.email}")
