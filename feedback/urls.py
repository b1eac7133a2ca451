from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("outcomes/<int:enterprise_id>/", views.certification_outcomes, name="certification_outcomes"),
]
