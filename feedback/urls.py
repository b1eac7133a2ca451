from django.urls import path

from . import appraisal_views, views

app_name = "feedback"
urlpatterns = [
    path("outcomes/<int:enterprise_id>/", views.certification_outcomes, name="certification_outcomes"),
    path("appraisal/", appraisal_views.appraisal, name="appraisal"),
    path("appraisal/export.xlsx", appraisal_views.appraisal_xlsx, name="appraisal_xlsx"),
    path("appraisal/export.pdf", appraisal_views.appraisal_pdf, name="appraisal_pdf"),
    path("experts/", appraisal_views.expert_roster, name="expert_roster"),
]
