"""Uploaded files, checked one way in every service: decoded, not empty, not too big, and truly of the type
they were sent as (judged by their first bytes, so a renamed file is refused).

The gateway passes an upload on over RPC as {"content_type", "content_base64", "filename"}; problems with
the bytes are reported on "_body" (the HTTP request's body), a wrong type on "content_type".
"""
import base64
import binascii

from svckit.errors import InvalidInput

KINDS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "application/pdf": "PDF"}


def sniff(content):
    """The content type the first bytes say the file is (one of KINDS), or None."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def upload_problems(content_type, content, max_bytes):
    """Why these bytes cannot be kept as `content_type`, by field ({} when they can)."""
    if not content:
        return {"_body": ["The file is empty."]}
    if len(content) > max_bytes:
        return {"_body": [f"The file is {len(content)} bytes; at most {max_bytes} bytes "
                          f"({max_bytes / 2**20:g} MiB) are taken."]}
    actual = sniff(content)
    if actual != content_type:
        said = f"a {KINDS[actual]} file" if actual else "not a file of a type taken"
        return {"content_type": [f"Sent as {content_type}, but the file is {said}."]}
    return {}


def accepted_upload(upload, max_bytes):
    """The bytes of an upload ({"content_type", "content_base64"}), or InvalidInput naming what is wrong."""
    try:
        content = base64.b64decode(upload["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("The file is not base64 encoded.", {"_body": ["Not base64."]}) from None
    problems = upload_problems(upload["content_type"], content, max_bytes)
    if problems:
        raise InvalidInput(f"The file was refused: {next(iter(problems.values()))[0]}", problems)
    return content
