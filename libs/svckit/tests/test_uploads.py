"""Uploaded files are judged by their bytes, not by what they were sent as."""
import base64

import pytest

from svckit.errors import InvalidInput
from svckit.uploads import accepted_upload, sniff, upload_problems

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
PDF = b"%PDF-1.7\n" + b"x" * 20


def test_files_are_known_by_their_first_bytes():
    assert [sniff(content) for content in (JPEG, PNG, WEBP, PDF, b"GIF89a....", b"MZ\x90\x00", b"")] == [
        "image/jpeg", "image/png", "image/webp", "application/pdf", None, None, None]


@pytest.mark.parametrize("content_type, content, field", [
    ("image/png", JPEG, "content_type"),              # sent as PNG, is a JPEG
    ("image/jpeg", b"MZ\x90\x00 an .exe renamed", "content_type"),
    ("image/jpeg", JPEG + b"\x00" * 100, "_body"),    # larger than allowed
    ("image/jpeg", b"", "_body"),
])
def test_a_file_that_is_not_what_it_claims_or_too_large_is_refused_naming_the_field(content_type, content, field):
    assert list(upload_problems(content_type, content, max_bytes=64)) == [field]


def test_a_file_that_is_what_it_claims_is_taken_as_its_bytes():
    assert upload_problems("application/pdf", PDF, max_bytes=64) == {}
    upload = {"content_type": "image/webp", "content_base64": base64.b64encode(WEBP).decode()}
    assert accepted_upload(upload, max_bytes=64) == WEBP


def test_bytes_that_are_not_base64_are_refused():
    with pytest.raises(InvalidInput) as refused:
        accepted_upload({"content_type": "image/png", "content_base64": "not base64!"}, max_bytes=64)
    assert refused.value.details == {"_body": ["Not base64."]}
