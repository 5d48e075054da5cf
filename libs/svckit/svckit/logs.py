"""Logging that never writes personal data in the clear.

`MaskPersonalData` is a logging filter: it masks mainland mobile numbers, resident ID
numbers and e-mail addresses in every record's message and arguments. Every service's
config.yaml installs it on its handlers.
"""
import logging
import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_TRACKING_TOKEN = re.compile(r"(/track/)[A-Za-z0-9_-]+")  # a customer's tracking link is a bearer secret


def mask_personal_data(text):
    text = _TRACKING_TOKEN.sub(r"\1***", text)
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _EMAIL.sub(r"\1***\2", text)


def mask_phone(phone):
    """A phone number as staff lists and logs show it: 138****5678."""
    if not phone:
        return phone
    digits = str(phone)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class MaskPersonalData(logging.Filter):
    """Masks the formatted message (and any traceback) of every record it sees."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask_personal_data(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True
