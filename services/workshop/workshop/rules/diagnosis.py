"""Diagnosis rules: when findings may be written, and what a photo must be."""
from workshop.rules.repair_order import AWAITING_APPROVAL, DIAGNOSING, OPENED

DIAGNOSABLE = {OPENED, DIAGNOSING, AWAITING_APPROVAL}
DEFAULT_MAX_PHOTO_BYTES = 5 * 1024 * 1024


def image_type(content):
    """The image type the file's first bytes say it is (JPEG, PNG, WebP), or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_problems(content_type, content, max_bytes):
    """Why a photo cannot be kept, by field ({} when it can): empty, too large, or not what it claims to be."""
    if not content:
        return {"_body": ["The photo is empty."]}
    if len(content) > max_bytes:
        return {"_body": [f"The photo is {len(content)} bytes; at most {max_bytes} bytes are taken."]}
    actual = image_type(content)
    if actual is None:
        return {"content_type": ["The file is not a JPEG, PNG or WebP image."]}
    if actual != content_type:
        return {"content_type": [f"Declared {content_type}, but the file is {actual}."]}
    return {}
