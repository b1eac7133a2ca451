"""ORM queries compiled once and run again with new ids (lms/compiled.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from lms.compiled import CompiledQuery
from tests.factories import CustomsUnitFactory, EnterpriseFactory, UserFactory
from trainees.models import Enterprise, User

pytestmark = pytest.mark.django_db


def staff_of(unit_id: int, enterprise_id: int):
    return (
        Enterprise.objects.filter(customs_unit_id=unit_id, pk__gte=enterprise_id)
        .annotate(
            people=Count("staff"),
            first=Subquery(User.objects.filter(enterprise_id=OuterRef("pk")).order_by("pk").values("email")[:1]),
        )
        .order_by("pk")
        .values_list("pk", "people", "first")
    )


def test_each_run_gives_what_the_orm_gives_for_its_own_ids():
    units = [CustomsUnitFactory(), CustomsUnitFactory()]
    enterprises = [EnterpriseFactory(customs_unit=units[i % 2]) for i in range(4)]
    for i, e in enumerate(enterprises):
        for _ in range(i):
            UserFactory(enterprise=e, position="customs_affairs")
    query = CompiledQuery(staff_of)
    for unit in units:
        for start in enterprises:
            assert query.rows(unit.pk, start.pk) == list(staff_of(unit.pk, start.pk))


def test_later_runs_are_one_statement_each():
    unit = CustomsUnitFactory()
    enterprise = EnterpriseFactory(customs_unit=unit)
    query = CompiledQuery(staff_of)
    query.rows(unit.pk, enterprise.pk)
    with CaptureQueriesContext(connection) as ran:
        assert query.first(unit.pk, enterprise.pk)[0] == enterprise.pk
        assert query.first(unit.pk, enterprise.pk + 1000) is None
    assert len(ran) == 2


@pytest.mark.parametrize(
    "build",
    [
        lambda unit_id: Enterprise.objects.filter(customs_unit_id=unit_id + 1),  # turned into another value
        lambda unit_id: Enterprise.objects.all(),  # not used at all
    ],
)
def test_an_argument_that_is_not_a_parameter_of_its_own_is_refused(build):
    with pytest.raises(ImproperlyConfigured):
        CompiledQuery(build).rows(5)


@pytest.mark.parametrize("ids", [("1",), (None,), (1, 2)])
def test_ids_must_be_integers_one_per_argument(ids):
    with pytest.raises(TypeError):
        CompiledQuery(lambda unit_id: Enterprise.objects.filter(customs_unit_id=unit_id)).rows(*ids)


def test_threads_arriving_together_compile_the_query_once():
    """The first requests after a start come together: one compiles, the others wait for it."""
    import threading
    import time

    from django.db import connections

    builds = []

    def slow_build(unit_id: int):
        builds.append(unit_id)
        time.sleep(0.05)  # every thread arrives while the first one compiles
        return Enterprise.objects.filter(customs_unit_id=unit_id).values_list("pk")

    query = CompiledQuery(slow_build)
    start = threading.Barrier(4)
    answers = []

    def request():
        start.wait()
        try:
            answers.append(query.rows(10**6))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [[]] * 4
    assert len(builds) == 1
