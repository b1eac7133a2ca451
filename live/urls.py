from django.urls import path

from . import views

app_name = "live"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("<int:session_id>/", views.watch, name="watch"),
    path("<int:session_id>/register/", views.register, name="register"),
    path("<int:session_id>/streams/", views.stream_urls, name="streams"),
    path("<int:session_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("<int:session_id>/replay-heartbeat/", views.replay_heartbeat, name="replay_heartbeat"),
    path("<int:session_id>/questions/", views.questions, name="questions"),
    path("<int:session_id>/moderate/", views.moderate, name="moderate"),
    path("<int:session_id>/viewers/", views.viewers, name="viewers"),
    path("<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("<int:session_id>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("stream/<str:token>/<path:rest>", views.stream, name="stream"),
]
