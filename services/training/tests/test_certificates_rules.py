"""Certificate validity on a day, on its own: no broker, no database."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from contracts.training import NewCertificate
from svckit.errors import InvalidInput
from svckit.schemas import load
from training.rules import (
    EXPIRED, NOT_YET_VALID, REVOKED, VALID, certificate_status, lapsed_certificates, qualified_skills,
)


def certificate(skill_code="HV_EV", issued_on=date(2026, 1, 1), expires_on=date(2026, 12, 31), revoked_at=None):
    return SimpleNamespace(skill_code=skill_code, issued_on=issued_on, expires_on=expires_on, revoked_at=revoked_at)


@pytest.mark.parametrize("day, status", [
    (date(2025, 12, 31), NOT_YET_VALID),
    (date(2026, 1, 1), VALID),
    (date(2026, 12, 31), VALID),  # valid through its last day
    (date(2027, 1, 1), EXPIRED),
])
def test_a_certificate_is_valid_from_issue_through_its_expiry_day(day, status):
    assert certificate_status(certificate(), day) == status


def test_a_certificate_without_expiry_never_expires():
    assert certificate_status(certificate(expires_on=None), date(2099, 1, 1)) == VALID


def test_a_revoked_certificate_never_counts_even_within_its_dates():
    revoked = certificate(revoked_at=datetime(2026, 3, 1, tzinfo=timezone.utc))
    assert certificate_status(revoked, date(2026, 2, 1)) == REVOKED


def test_qualified_skills_are_those_of_valid_certificates_only():
    held = [certificate("HV_EV", expires_on=date(2026, 5, 31)),
            certificate("ALIGNMENT", expires_on=None),
            certificate("AC_REFRIGERANT", revoked_at=datetime(2026, 3, 1, tzinfo=timezone.utc)),
            certificate("HV_EV", issued_on=date(2026, 7, 1), expires_on=None)]  # the renewal, from July
    assert qualified_skills(held, date(2026, 6, 15)) == ["ALIGNMENT"]
    assert qualified_skills(held, date(2026, 7, 1)) == ["ALIGNMENT", "HV_EV"]
    assert [(c.skill_code, status) for c, status in lapsed_certificates(held, date(2026, 6, 15))] == [
        ("HV_EV", EXPIRED), ("AC_REFRIGERANT", REVOKED), ("HV_EV", NOT_YET_VALID)]


def test_a_certificate_may_not_expire_before_it_is_issued():
    with pytest.raises(InvalidInput) as refused:
        load(NewCertificate, {"skill_code": "HV_EV", "name": "高压电工作业", "number": "T1",
                              "issued_on": "2026-05-01", "expires_on": "2026-04-30"})
    assert refused.value.details == {"expires_on": ["Must not be before issued_on."]}


def test_a_skill_code_must_follow_the_pattern():
    with pytest.raises(InvalidInput) as refused:
        load(NewCertificate, {"skill_code": "hv ev", "name": "x", "number": "T1", "issued_on": "2026-05-01"})
    assert set(refused.value.details) == {"skill_code"}
