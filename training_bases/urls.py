from django.urls import path

from . import views

app_name = "training_bases"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/book/", views.session_book, name="session_book"),
    path("sessions/<int:session_id>/roster/", views.roster, name="roster"),
    path("sessions/<int:session_id>/export/<str:kind>.<str:fmt>", views.roster_export, name="roster_export"),
    path("sessions/<int:session_id>/days/<str:day>/qr/", views.checkin_qr, name="checkin_qr"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("feed/rotate/", views.feed_rotate, name="feed_rotate"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("allocation/", views.allocation, name="allocation"),
    path("allocation/<int:run_id>/", views.allocation_detail, name="allocation_detail"),
]
