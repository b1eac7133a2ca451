import pytest

from .factories import SessionFactory, officer, staff


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the tables (and --reuse-db keeps that state): make sure the
    bases, roles and customs units every installation has are present for database tests."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from training_bases.models import TrainingBase

    if not TrainingBase.objects.exists():
        from tests.conftest import load_reference_data

        load_reference_data()


@pytest.fixture
def session(db):
    return SessionFactory(capacity=2)


@pytest.fixture
def officer_user(db):
    return officer()


@pytest.fixture
def make_staff(db):
    return staff
