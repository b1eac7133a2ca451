from django.urls import path

from . import views

app_name = "trainees"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_enterprise, name="my_enterprise"),
    path("mine/apply/", views.application_create, name="application_create"),
    path("mine/invite/", views.staff_invite, name="staff_invite"),
    path("mine/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("list/", views.enterprise_list, name="enterprise_list"),
    path("import/", views.import_enterprises, name="import"),
    path("import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("import/<uuid:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("applications/", views.application_list, name="application_list"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/adjust/", views.round_adjust, name="round_adjust"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("<int:pk>/transition/", views.enterprise_transition, name="enterprise_transition"),
    path("<int:pk>/key/", views.enterprise_key, name="enterprise_key"),
]
