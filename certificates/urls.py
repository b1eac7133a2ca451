from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("v/<str:token>/", views.verify, name="verify"),
    path("<str:number>/pdf/", views.download, name="download"),
]
