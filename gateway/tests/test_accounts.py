"""Passwords and tokens on their own."""
import pytest

from apigateway.accounts import caller_from_token, hash_password, issue_token, password_matches
from svckit.auth import Caller
from svckit.errors import Unauthorized

SECRET = "s" * 32
ADVISOR = Caller(user_id="u1", username="li.na", roles=frozenset({"service_advisor"}), sites=frozenset({"SH01"}))


def test_a_password_matches_its_hash_only():
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert password_matches("correct horse", stored)
    assert not password_matches("correct hors", stored)
    assert not password_matches("anything", "not-a-hash")


def test_the_same_password_hashes_differently_each_time():
    assert hash_password("same password") != hash_password("same password")


def test_a_token_carries_the_caller_until_it_expires():
    token = issue_token(ADVISOR, SECRET, ttl_seconds=60, now=1000)
    assert caller_from_token(token, SECRET, now=1059) == ADVISOR
    with pytest.raises(Unauthorized, match="expired"):
        caller_from_token(token, SECRET, now=1060)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: t.split(".")[0] + "." + t.split(".")[1][::-1] + "." + t.split(".")[2],
    lambda t: "not-a-token",
])
def test_a_tampered_token_is_refused(tamper):
    token = issue_token(ADVISOR, SECRET, ttl_seconds=60)
    with pytest.raises(Unauthorized):
        caller_from_token(tamper(token), SECRET)


def test_a_token_signed_with_another_secret_is_refused():
    with pytest.raises(Unauthorized, match="signature"):
        caller_from_token(issue_token(ADVISOR, "x" * 32, 60), SECRET)
