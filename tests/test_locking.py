"""A locking read locks the rows it means to change and no others: a row shared by many (an
exam, a survey, a criteria edition, a customs unit, a training session) is never locked in
passing by a `select_related` join, where it would make every candidate, respondent or officer
of that row wait for each other."""

import ast
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from surveys import services as surveys
from surveys.models import Survey, SurveyResponse
from tests.surveys.factories import answers, open_survey_for
from tests.training_bases.factories import SessionFactory, staff

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in ROOT.glob("*/**/*.py") if not {"tests", ".venv", "benchmarks", "migrations"} & set(p.parts)]


def _chains(tree: ast.AST):
    """Every `select_for_update(...)` call whose chain also has a `select_related(...)`, as
    (line, lock call), once each."""
    joined: dict[ast.Call, bool] = {}
    for node in ast.walk(tree):
        names, locks, current = set(), [], node
        while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
            names.add(current.func.attr)
            if current.func.attr == "select_for_update":
                locks.append(current)
            current = current.func.value
        for lock in locks:
            joined[lock] = joined.get(lock, False) or "select_related" in names
    return sorted(((lock.lineno, lock) for lock, join in joined.items() if join), key=lambda item: item[0])


def test_every_locking_read_with_a_join_names_the_rows_it_locks():
    """`select_for_update()` with `select_related` locks every joined row: it must say `of=`."""
    unnamed = []
    for path in SOURCES:
        for line, lock in _chains(ast.parse(path.read_text(encoding="utf-8"))):
            if not any(k.arg == "of" for k in lock.keywords):
                unnamed.append(f"{path.relative_to(ROOT)}:{line}")
    assert not unnamed, unnamed


def test_the_guard_finds_an_unnamed_lock():
    chain = ast.parse("Attempt.objects.select_for_update().select_related('exam').get(pk=1)")
    assert [line for line, _ in _chains(chain)] == [1]
    named = ast.parse("Attempt.objects.select_for_update(of=('self',)).select_related('exam').get(pk=1)")
    assert all(any(k.arg == "of" for k in lock.keywords) for _, lock in _chains(named))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_response_is_recorded_while_an_officer_holds_the_survey_row(site):
    """An officer's change to the survey holds its row; a respondent's answers do not wait for it."""
    person = staff()
    survey = open_survey_for(SessionFactory(), [person], anonymous=False)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Survey.objects.select_for_update(no_key=True).get(pk=survey.pk)  # as an UPDATE does
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            surveys.response_submit(survey_id=survey.pk, user=person, posted=answers(survey))
    finally:
        release.set()
        holder.join(timeout=30)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
