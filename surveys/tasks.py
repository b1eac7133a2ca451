"""Background jobs of surveys: invitation e-mails once a survey opens (the reminders come from
`notices.tasks.send_reminders`)."""

from celery import shared_task

from .services import invitations_notify


@shared_task
def send_invitations() -> int:
    """E-mail the invitations of surveys that have opened (idempotent)."""
    return invitations_notify()
