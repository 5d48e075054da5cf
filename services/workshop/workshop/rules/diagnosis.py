"""Diagnosis rules: when findings may be written."""
from workshop.rules.repair_order import AWAITING_APPROVAL, DIAGNOSING, OPENED

DIAGNOSABLE = {OPENED, DIAGNOSING, AWAITING_APPROVAL}
DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024
