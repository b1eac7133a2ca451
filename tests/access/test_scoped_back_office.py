"""Issue 7, point 4, by construction: every back-office view set of a model that belongs to a
customs district (through a chain of foreign keys to a customs unit or an enterprise) goes through
the access module's scope, and every one of its views that names an object (edit, copy, history,
usage, inspect, delete, revisions...) answers "not found" to an officer of another district."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.urls import URLPattern, get_resolver, reverse
from wagtail.admin.viewsets import viewsets

from trainees.access import _SCOPES, ScopedViewSetMixin, _ScopedChooserMixin, scoped
from trainees.models import CustomsUnit, Enterprise

from .tables import OFFICER, OTHER_OFFICER


def _district_path(model, depth=3, seen=()) -> bool:
    """Does `model` reach a customs unit or an enterprise through foreign keys?"""
    if model in (CustomsUnit, Enterprise):
        return True
    if depth == 0 or model in seen or model is get_user_model():
        return False  # people are not district data by being someone's author
    for field in model._meta.get_fields():
        is_key = isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete
        if is_key and _district_path(field.related_model, depth - 1, (*seen, model)):
            return True
    return False


def _model_viewsets():
    assert get_resolver().url_patterns  # loading the URLconf registers the back office's view sets
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, type) and issubclass(model, models.Model) and hasattr(viewset, "get_urlpatterns"):
            yield viewset, model


def _is_scoped(viewset) -> bool:
    if isinstance(viewset, ScopedViewSetMixin):
        return True
    choose = getattr(viewset, "choose_view_class", None)
    return isinstance(choose, type) and issubclass(choose, _ScopedChooserMixin)


def test_every_district_model_in_the_back_office_is_scoped():
    unscoped = sorted(
        f"{type(viewset).__name__} ({model._meta.label})"
        for viewset, model in _model_viewsets()
        if _district_path(model) and not (model in _SCOPES and _is_scoped(viewset))
    )
    assert unscoped == [], "\n".join(unscoped)


def _pk_routes(viewset):
    for pattern in viewset.get_urlpatterns():
        if isinstance(pattern, URLPattern) and re.search(r"<(\w+:)?pk>", str(pattern.pattern)):
            yield pattern.name


@pytest.mark.django_db
def test_other_districts_officer_finds_no_object_in_any_scoped_view(client, world):
    stranger = world.users[OTHER_OFFICER]
    client.force_login(stranger)
    checked, leaks = set(), []
    for viewset, model in _model_viewsets():
        if model not in _SCOPES:
            continue
        hidden = scoped(model, world.users[OFFICER]).exclude(pk__in=scoped(model, stranger).values("pk")).first()
        if hidden is None:
            continue
        for name in _pk_routes(viewset):
            url = reverse(f"{viewset.url_namespace}:{name}", kwargs={"pk": hidden.pk})
            for method in ("get", "post"):
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                checked.add(model._meta.label)
                if response.status_code not in (403, 404, 405):
                    leaks.append(f"{method.upper()} {url}: {response.status_code}")
    # The demo world has an object of each of these in the officer's district only.
    assert {"trainees.Enterprise", "trainees.SelectionRound", "training_bases.TrainingSession"} <= checked
    assert leaks == [], "\n".join(leaks)
