"""Credit and customs codes are stored in one form (half-width, upper-case, trimmed) on every
entry path — model, back office, forms, API, import — and are unique in that form (issue 8,
point 15). The data migration normalises existing codes and names colliding enterprises."""

import io

import pytest
from django.apps import apps
from django.db import connection
from django.forms import modelform_factory
from openpyxl import Workbook

from tests.factories import credit_code
from trainees.importing import enterprise_import
from trainees.models import Enterprise

from .factories import enterprise_in, officer, unit

pytestmark = pytest.mark.django_db

CODE = credit_code(8801)  # 91440300MA0008801X-style: digits and capitals


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Spellings of one credit code as people type or paste it.
SPELLINGS = [
    CODE.lower(),
    f"  {CODE}  ",
    f"\u3000{CODE.lower()}\u3000",  # full-width spaces around
    _fullwidth(CODE),
    _fullwidth(CODE.lower()),
    f"\u00a0{CODE}",  # no-break space pasted from a web page
]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_the_model_stores_the_normal_form(typed):
    e = enterprise_in("5301", credit_code=typed, customs_code=_fullwidth("4403ab0001").lower())
    e.refresh_from_db()
    assert (e.credit_code, e.customs_code) == (CODE, "4403AB0001")
    assert Enterprise.objects.get(credit_code=typed) == e  # lookups normalise too


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_form_stores_the_normal_form_and_finds_the_duplicate(typed):
    EnterpriseForm = modelform_factory(Enterprise, fields=["name_zh", "credit_code", "customs_code", "customs_unit"])
    form = EnterpriseForm(
        {"name_zh": "甲", "credit_code": typed, "customs_code": " 4403960001 ", "customs_unit": unit("5301").pk}
    )
    assert form.is_valid(), form.errors
    assert form.save().credit_code == CODE
    same_credit = EnterpriseForm({"name_zh": "乙", "credit_code": CODE, "customs_unit": unit("5301").pk})
    assert not same_credit.is_valid() and "credit_code" in same_credit.errors
    same_customs = EnterpriseForm(
        {
            "name_zh": "丙",
            "credit_code": credit_code(8802),
            "customs_code": "４４０３９６０００１",
            "customs_unit": unit("5301").pk,
        }
    )
    assert not same_customs.is_valid()
    assert "Another enterprise already has this customs registration code." in str(same_customs.errors) or (
        "海关" in str(same_customs.errors)
    )
    assert Enterprise.objects.count() == 1


@pytest.fixture
def back_office_officer():
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="Customs officers")
    group.permissions.add(
        *Permission.objects.filter(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="trainees", codename__in=["add_enterprise", "change_enterprise", "view_enterprise"]
        ),
    )
    user = officer("5300")
    user.groups.add(group)
    return user


def _admin_post(typed, customs="4403960001"):
    return {
        "name_zh": "后台企业",
        "name_en": "",
        "credit_code": typed,
        "customs_code": customs,
        "customs_unit": unit("5301").pk,
        "is_sme": "on",
        "credit_level": "",
        "credit_score": "",
        "credit_score_date": "",
        "application_bar_until": "",
        "application_bar_reason": "",
    }


def test_the_back_office_stores_the_normal_form_and_refuses_the_same_code_in_another_case(client, back_office_officer):
    client.force_login(back_office_officer)
    response = client.post(
        "/admin/snippets/trainees/enterprise/add/", _admin_post(CODE.lower(), "４４０３９６０００１")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    e = Enterprise.objects.get()
    assert (e.credit_code, e.customs_code) == (CODE, "4403960001")
    response = client.post("/admin/snippets/trainees/enterprise/add/", _admin_post(_fullwidth(CODE), "4403960002"))
    assert response.status_code == 200 and Enterprise.objects.count() == 1  # the form says why, no 500
    response = client.post("/admin/snippets/trainees/enterprise/add/", _admin_post(credit_code(8802), "4403960001 "))
    assert response.status_code == 200 and Enterprise.objects.count() == 1  # same customs code


def test_the_api_finds_a_code_however_it_is_typed(client):
    e = enterprise_in("5301", credit_code=CODE)
    client.force_login(officer("5300"))
    for typed in SPELLINGS[:2] + SPELLINGS[3:5]:
        found = client.get("/api/trainees/enterprises", {"q": typed}).json()
        assert [row["id"] for row in found] == [e.pk], typed


def test_an_import_in_upper_case_updates_the_enterprise_typed_in_lower_case():
    e = enterprise_in("5301", credit_code=CODE.lower(), name_zh="旧名称")
    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "企业名称", "主管海关"])
    workbook.active.append([_fullwidth(CODE), "新名称", "5301"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    summary = enterprise_import(data=buffer.getvalue(), filename="x.xlsx", actor=officer("5300"))
    assert (summary.created, summary.updated) == (0, 1)
    assert Enterprise.objects.get().pk == e.pk and Enterprise.objects.get().name_zh == "新名称"


def _store_raw(enterprise, credit, customs):
    """Write codes as an older version stored them, bypassing the field's normalisation."""
    table = connection.ops.quote_name(Enterprise._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET credit_code = %s, customs_code = %s WHERE id = %s",
            [credit, customs, enterprise.pk],
        )


def _migration():
    from importlib import import_module

    return import_module("trainees.migrations.0011_enterprise_codes_normalised_import_preview")


def test_the_data_migration_normalises_existing_codes():
    e = enterprise_in("5301")
    _store_raw(e, e.credit_code.lower(), _fullwidth("4403ab0009").lower())
    _migration().normalise_codes(apps, None)
    row = Enterprise.objects.values("credit_code", "customs_code").get()
    assert row == {"credit_code": e.credit_code, "customs_code": "4403AB0009"}


def test_the_data_migration_stops_naming_enterprises_that_would_collide():
    a = enterprise_in("5301", name_zh="甲公司", credit_code=CODE)
    b = enterprise_in("5301", name_zh="乙公司")
    _store_raw(b, CODE.lower(), "")
    with pytest.raises(RuntimeError) as exc:
        _migration().normalise_codes(apps, None)
    assert f"#{a.pk} 甲公司" in str(exc.value) and f"#{b.pk} 乙公司" in str(exc.value)
    assert Enterprise.objects.get(pk=b.pk).credit_code == CODE.lower()  # nothing changed
