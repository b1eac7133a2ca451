"""The JSON API (django-ninja). Each app adds its router here; OpenAPI docs at /api/docs and
the schema at /api/openapi.json, for signed-in staff only."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

from .staff import staff_only

api = NinjaAPI(
    title="AEO Cultivation LMS API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=staff_only,
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def row_not_found(request, exc: ObjectDoesNotExist):
    """A row a service looks up is gone (deleted since the endpoint read it): 404, not 500."""
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/trainees/", "trainees.api.router", tags=["trainees"])
api.add_router("/training/", "training_bases.api.router", tags=["training"])
