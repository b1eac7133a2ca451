from django.urls import path

from . import report_views, views

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

urlpatterns += [
    path("report/", report_views.report_mine, name="report_mine"),
    path("report/<int:enterprise_id>/", report_views.report, name="report"),
    path("report/<int:enterprise_id>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("report/<int:enterprise_id>/rectifications/", report_views.rectification_create, name="rectification_create"),
    path("rectifications/<int:pk>/", report_views.rectification_update, name="rectification_update"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", report_views.dashboard_export, name="dashboard_export"),
]
