from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from trainees.language import set_language

from .api import api
from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
    path("readiness/", include("readiness.urls")),
    path("exams/", include("exams.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
