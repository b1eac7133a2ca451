from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("desk/", views.desk, name="desk"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/attachments/<int:message_id>/", views.attachment, name="attachment"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
