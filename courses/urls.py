from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<int:page_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:page_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:page_id>/quiz/<str:block_id>/", views.quiz, name="quiz"),
    path("heartbeat/", views.heartbeat, name="heartbeat"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_coverage, name="enterprise_coverage"),
    path("cohorts/", views.cohort_enrol, name="cohort_enrol"),
    path("statistics/", views.trainer_stats, name="trainer_stats"),
    path("statistics.xlsx", views.trainer_stats_xlsx, name="trainer_stats_xlsx"),
]
