"""Objects shared by the consultation tests: an enterprise in Futian (Shenzhen district), its
staff, coordinators of Shenzhen, of another district and of GACC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services
from consultations.models import Consultation
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, officer, staff_of, unit
from trainees.roles import Role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "说明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def coordinator(code: str, **kwargs):
    return UserFactory(customs_unit=unit(code), roles=[Role.COORDINATOR], **kwargs)


@dataclass
class Cast:
    enterprise: object
    staff: object
    colleague: object
    other_staff: object
    coordinator: object
    second_coordinator: object
    other_coordinator: object
    gacc_coordinator: object
    officer: object


def cast() -> Cast:
    enterprise = enterprise_in(
        "5301", name_zh="深圳海川电子科技有限公司", name_en="Shenzhen Haichuan Electronics Co., Ltd."
    )
    other = enterprise_in("2301")
    return Cast(
        enterprise=enterprise,
        staff=staff_of(enterprise, phone="13800138000"),
        colleague=staff_of(enterprise),
        other_staff=staff_of(other),
        coordinator=coordinator("5300"),
        second_coordinator=coordinator("5300"),
        other_coordinator=coordinator("2300"),
        gacc_coordinator=coordinator("0000"),
        officer=officer("5300"),
    )


def ask(people: Cast, *, now: dt.datetime | None = None, **kwargs) -> Consultation:
    fields = {
        "topic": Consultation.Topic.PROCEDURE,
        "subject": "认证申请需要准备哪些材料？",
        "body": "我们是深圳海川电子科技有限公司，统一社会信用代码 91440300MA5F000000，请问申请高级认证要准备什么？联系电话 13800138000。",
    } | kwargs
    return services.consultation_ask(user=people.staff, district=unit("5301"), now=now, **fields)
