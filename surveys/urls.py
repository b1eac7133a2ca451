from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.my_surveys, name="my_surveys"),
    path("<int:survey_id>/", views.respond, name="respond"),
    path("<int:survey_id>/results/", views.survey_results, name="survey_results"),
    path("<int:survey_id>/results.xlsx", views.survey_results_xlsx, name="survey_results_xlsx"),
    path("results/", views.results, name="results"),
    path("results.xlsx", views.results_xlsx, name="results_xlsx"),
]
