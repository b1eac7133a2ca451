"""The one way the platform sends text messages (SMS): sign-in and verification codes
(allauth, `trainees.adapters`) and reminders (`notices`).

A backend is a class with `send_messages(messages: list[SmsMessage]) -> int` (number sent),
chosen by the dotted path in `LMS_SMS_BACKEND`:

- `lms.sms.ConsoleBackend` (development): prints each message to the console/log, so a developer
  reads the code there;
- `lms.sms.LocmemBackend` (tests): keeps messages in `lms.sms.outbox`, like Django's locmem
  e-mail backend;
- a production provider (Aliyun SMS, Tencent Cloud SMS, …): a class in the deployment's own
  module, e.g. `LMS_SMS_BACKEND=ourcompany.sms.AliyunBackend`, whose `send_messages` calls the
  provider's API with the template and signature the provider approved. Provider credentials
  come from its own environment variables, read by that class. See README "Sign-in by mobile
  number"."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages the LocmemBackend kept (tests read them as they read mail.outbox).
outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    """One text message: `to` in E.164 form ("+8613812345678"), `text` as the person reads it,
    `kind` what it is for ("code", "reminder"): providers use one approved template per kind."""

    to: str
    text: str
    kind: str = "code"


class ConsoleBackend:
    """Writes each message to standard output (development: `make run` shows the codes)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            sys.stdout.write(f"SMS to {message.to} [{message.kind}]: {message.text}\n")
            sys.stdout.flush()
        return len(messages)


class LocmemBackend:
    """Keeps each message in `lms.sms.outbox` (tests)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def backend():
    """An instance of the configured backend (`LMS_SMS_BACKEND`)."""
    return import_string(getattr(settings, "LMS_SMS_BACKEND", "lms.sms.ConsoleBackend"))()


def send_sms(*, to: str, text: str, kind: str = "code") -> bool:
    """Send one text message through the configured backend; True when the backend took it.
    Errors of the provider propagate (a caller in a task retries)."""
    sent = backend().send_messages([SmsMessage(to=to, text=text, kind=kind)])
    logger.info("sms sent", extra={"kind": kind, "sent": sent})
    return bool(sent)
