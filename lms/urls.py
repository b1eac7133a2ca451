from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from trainees.access import scoped_bulk_action, scoped_site_history_view
from trainees.language import set_language

from .api import api
from .health import healthz
from .login import to_allauth_login, to_allauth_password_reset

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One way in: these come before the admin includes so they win (see lms/login.py).
    path("admin/login/", to_allauth_login, name="wagtailadmin_login"),
    re_path(r"^admin/password_reset/", to_allauth_password_reset, name="wagtailadmin_password_reset"),
    path(
        "django-admin/login/",
        to_allauth_login,
        {"default_next": "/django-admin/"},
        name="django_admin_login",
    ),
    # Bulk actions act only on rows in the user's scope (trainees.access).
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        scoped_bulk_action(wagtail_bulk_action),
        name="wagtail_bulk_action",
    ),
    # The site history lists only log entries of objects in the user's scope (trainees.access).
    path("admin/reports/site-history/", scoped_site_history_view(), name="scoped_site_history"),
    path(
        "admin/reports/site-history/results/",
        scoped_site_history_view(results_only=True),
        name="scoped_site_history_results",
    ),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Chinese pages live at /, English ones at /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("search/", cms_views.search, name="search"),
    path("enterprises/", include("trainees.urls")),
    path("training/", include("training_bases.urls")),
    # Wagtail's private-page login takes a password too: send it to allauth as well.
    path("_util/login/", to_allauth_login, {"default_next": "/"}, name="wagtailcore_login"),
    path("readiness/", include("readiness.urls")),
    path("exams/", include("exams.urls")),
    path("learning/", include("courses.urls")),
    path("live/", include("live.urls")),
    path("certificates/", include("certificates.urls")),
    path("feedback/", include("feedback.urls")),
    path("consultations/", include("consultations.urls")),
    path("surveys/", include("surveys.urls")),
    path("news/", include("surveys.publicity_urls")),
    path("privacy/", include("privacy.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
