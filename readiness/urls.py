from django.urls import path

from . import views

app_name = "readiness"
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("start/<slug:edition>/", views.assessment_start, name="assessment_start"),
    path("financials/", views.financials_edit, name="financials"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/judge/<int:criterion>/", views.judgement_save, name="judgement_save"),
    path("<int:pk>/evidence/<int:criterion>/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence>/download/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version_detail"),
    path("<int:pk>/compare/", views.version_compare, name="version_compare"),
]
