"""The bulk writes behind the imports (lms/bulk.py): rows as the ORM would write them, ids
back, and an update that changes only the values a row holds."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from lms.bulk import INSERT_VALUES_MAX, copy_rows, insert_ids, insert_returning, log_many, update_present, update_rows
from tests.factories import CustomsUnitFactory, EnterpriseFactory, UserFactory, credit_code
from trainees.models import BusinessType, Enterprise

pytestmark = pytest.mark.django_db


def test_insert_returning_writes_defaults_normalised_codes_and_returns_ids():
    unit = CustomsUnitFactory()
    before = timezone.now()
    code = credit_code(901)
    ids = insert_returning(
        Enterprise,
        [Enterprise(credit_code=code.lower(), name_zh="批量写入有限公司", customs_unit=unit)],
        key_field="credit_code",
    )
    enterprise = Enterprise.objects.get(credit_code=code)  # stored half-width, upper-case
    assert ids == {code: enterprise.pk}
    assert enterprise.customs_unit == unit and enterprise.cultivation_status == "none"
    assert enterprise.created_at >= before


def test_update_present_changes_only_the_values_each_row_holds():
    first, second = EnterpriseFactory(name_en="First Ltd", credit_score=70), EnterpriseFactory(name_en="Second Ltd")
    update_present(
        Enterprise,
        [
            (Enterprise(credit_code=first.credit_code, name_zh="新名称", credit_score=90), {"name_zh", "credit_score"}),
            (Enterprise(credit_code=second.credit_code, name_zh="第二个"), {"name_zh"}),
        ],
        key_field="credit_code",
        fields=["name_zh", "name_en", "credit_score"],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name_zh, first.name_en, first.credit_score) == ("新名称", "First Ltd", 90)
    assert (second.name_zh, second.name_en) == ("第二个", "Second Ltd")


def test_copy_rows_inserts_link_rows():
    enterprise = EnterpriseFactory()
    kinds = list(BusinessType.objects.all()[:2])
    assert kinds, "the business types come with the migrations"
    copy_rows(
        Enterprise.business_types.through, ("enterprise_id", "businesstype_id"), [(enterprise.pk, t.pk) for t in kinds]
    )
    assert set(enterprise.business_types.all()) == set(kinds)


def test_update_rows_sets_each_rows_values_nulls_included_and_leaves_other_rows():
    first, second, third = (EnterpriseFactory(name_en=n, credit_score=70) for n in ("First", "Second", "Third"))
    update_rows(Enterprise, ["name_en", "credit_score"], [(first.pk, "Eins", None), (second.pk, "", 95), (0, "x", 1)])
    for enterprise in (first, second, third):
        enterprise.refresh_from_db()
    assert (first.name_en, first.credit_score) == ("Eins", None)
    assert (second.name_en, second.credit_score) == ("", 95)
    assert (third.name_en, third.credit_score) == ("Third", 70)


def test_log_many_writes_the_entries_log_would_write():
    enterprises = [EnterpriseFactory(), EnterpriseFactory()]
    officer = UserFactory()
    log(enterprises[0], "wagtail.edit", user=officer, data={"n": 0})
    log_many(enterprises, "wagtail.edit", user=officer, data=lambda e: {"n": e.pk, "at": timezone.localdate()})
    entries = ModelLogEntry.objects.filter(action="wagtail.edit").order_by("id")
    one, *many = [(e.content_type_id, e.object_id, e.label, e.user_id, e.content_changed, e.deleted) for e in entries]
    assert many == [one, (one[0], str(enterprises[1].pk), str(enterprises[1]), officer.pk, False, False)]
    assert entries[1].data == {"n": enterprises[0].pk, "at": timezone.localdate().isoformat()}


@pytest.mark.parametrize("count", [1, INSERT_VALUES_MAX + 1])  # one INSERT with values; COPY through staging
def test_insert_ids_writes_every_row_with_its_defaults_and_returns_their_ids(count):
    unit = CustomsUnitFactory()
    before = timezone.now()
    codes = [credit_code(1000 + i) for i in range(count)]
    ids = insert_ids(Enterprise, [Enterprise(credit_code=c, name_zh=f"企业{c}", customs_unit=unit) for c in codes])
    stored = Enterprise.objects.filter(credit_code__in=codes)
    assert sorted(ids) == sorted(stored.values_list("pk", flat=True)) and len(ids) == count
    assert all(e.created_at >= before and e.cultivation_status == "none" for e in stored)


@pytest.mark.parametrize("count", [1, INSERT_VALUES_MAX + 1])
def test_instances_inserted_by_insert_ids_save_as_stored_rows(count):
    """A later `save()` updates the row `insert_ids` wrote instead of inserting a second one."""
    unit = CustomsUnitFactory()
    objs = [Enterprise(credit_code=credit_code(3000 + i), name_zh=f"企业{i}", customs_unit=unit) for i in range(count)]
    insert_ids(Enterprise, objs)
    objs[0].name_zh = "改名有限公司"
    objs[0].save()
    assert Enterprise.objects.filter(customs_unit=unit).count() == count
    assert Enterprise.objects.get(pk=objs[0].pk).name_zh == "改名有限公司"


def test_insert_returning_an_existing_key_raises_the_integrity_error_and_writes_nothing():
    existing = EnterpriseFactory()
    code = credit_code(1999)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_returning(
            Enterprise,
            [
                Enterprise(credit_code=code, name_zh="新企业", customs_unit=existing.customs_unit),
                Enterprise(credit_code=existing.credit_code, name_zh="重复", customs_unit=existing.customs_unit),
            ],
            key_field="credit_code",
        )
    assert not Enterprise.objects.filter(credit_code=code).exists()


@pytest.mark.postgres
def test_keys_are_drawn_without_a_statement_of_their_own_even_the_first_time_in_a_process(monkeypatch):
    """Statement counts must not depend on what ran before in the process: the first draw of
    keys names its sequence in the same statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms import bulk

    monkeypatch.setattr(bulk, "_SEQUENCES", {})
    unit = CustomsUnitFactory()
    counts, ids = [], []
    for n in (1, 2):
        with CaptureQueriesContext(connection) as ctx:
            found = insert_returning(
                Enterprise,
                [Enterprise(credit_code=credit_code(950 + n), name_zh=f"键序{n}有限公司", customs_unit=unit)],
                key_field="credit_code",
            )
        counts.append(len(ctx))
        ids.extend(found.values())
    assert counts[0] == counts[1]
    assert sorted(Enterprise.objects.filter(pk__in=ids).values_list("pk", flat=True)) == sorted(ids)
    assert Enterprise in bulk._SEQUENCES
