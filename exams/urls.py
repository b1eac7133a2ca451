from django.urls import path

from . import office_views, views

app_name = "exams"
urlpatterns = [
    path("", views.exam_list, name="list"),
    path("<int:exam_id>/start/", views.attempt_start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt_view, name="attempt"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review, name="review"),
    path("attempts/<int:attempt_id>/remark/", views.remark_ask, name="remark_ask"),
    path("api/attempts/<int:attempt_id>/answers/", views.api_answer_save, name="api_save"),
    path("api/attempts/<int:attempt_id>/status/", views.api_attempt_status, name="api_status"),
    path("sittings/<int:sitting_id>/checkin/", views.sitting_checkin, name="checkin"),
    path("sittings/<int:sitting_id>/console/", views.sitting_console, name="console"),
    path("api/sittings/<int:sitting_id>/console/", views.api_sitting_console, name="api_console"),
    path("api/sittings/<int:sitting_id>/actions/", views.api_sitting_action, name="api_sitting_action"),
    path("marking/", views.marking_list, name="marking"),
    path("marking/<int:answer_id>/", views.marking_answer, name="mark"),
    path("<int:exam_id>/results/", views.exam_results, name="results"),
    path("qualification/", views.qualification, name="qualification"),
    path("qualification/<int:user_id>/", views.qualification, name="qualification_of"),
    path("qualification/<int:user_id>/interview/", office_views.interview_record, name="interview_record"),
    path("tickets/<int:ticket_id>/pdf/", office_views.ticket_pdf, name="ticket_pdf"),
    path("sittings/<int:sitting_id>/tickets/", office_views.sitting_tickets, name="sitting_tickets"),
    path("sittings/<int:sitting_id>/answer-file/", office_views.answer_file_upload, name="answer_file_upload"),
    path("photo/", office_views.photo_mine, name="photo"),
    path("photos/<int:user_id>/", office_views.photo_of, name="photo_of"),
    path("<int:exam_id>/report/", office_views.exam_report, name="report"),
    path("api/reports/<int:report_id>/", office_views.api_report_progress, name="api_report"),
    path("reports/<int:report_id>/xlsx/", office_views.report_xlsx, name="report_xlsx"),
]
