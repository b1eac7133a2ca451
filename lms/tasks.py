import os
import socket

from celery import shared_task


@shared_task
def ping(user_id: int | None = None) -> dict:
    """Report which process ran the task and, given a user id, that user's e-mail: proves where
    tasks execute (worker or in-process) and that the worker shares the application's database."""
    result = {"pid": os.getpid(), "hostname": socket.gethostname()}
    if user_id is not None:
        from django.contrib.auth import get_user_model

        result["email"] = get_user_model().objects.get(pk=user_id).email
    return result
