"""Laptop settings for `make run`: SQLite, in-process tasks, e-mails printed to the console."""

from .base import *  # noqa: F403
from .base import LOGGING

DEBUG = True
LOGGING["handlers"]["console"]["formatter"] = "plain"
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
LOGGING["loggers"]["kombu"] = {"level": "ERROR"}
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
LIVE_STREAM_HTTP_HOSTS = ["127.0.0.1", "localhost"]
