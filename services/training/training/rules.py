"""The rules of staff files and job credits, free of any database."""
from decimal import Decimal

from svckit.errors import InvalidInput

GRADED_ROLE = "technician"
HOURS = Decimal("0.01")


def check_grade(role, grade):
    """Only technicians carry a grade (apprentice ... master); any other role must leave it out."""
    if grade is not None and role != GRADED_ROLE:
        raise InvalidInput(
            f"Only a {GRADED_ROLE} has a grade; a {role} does not.",
            {"grade": [f"Only allowed for the role {GRADED_ROLE}."]})


def hours_by_technician(labour_lines):
    """The labour hours of a closed repair order owed to each technician: {technician_id: hours}.

    Lines nobody was assigned to (technician_id None) earn no one credit. Technicians
    appear in the order of their first line; hours are rounded to hundredths, as stored.
    """
    owed = {}
    for line in labour_lines:
        technician_id = line["technician_id"]
        if technician_id is None:
            continue
        owed[technician_id] = owed.get(technician_id, Decimal("0")) + Decimal(line["hours"])
    return {technician_id: hours.quantize(HOURS) for technician_id, hours in owed.items()}


# --- certificates ---

VALID, NOT_YET_VALID, EXPIRED, REVOKED = "valid", "not_yet_valid", "expired", "revoked"


def certificate_status(certificate, day):
    """valid, not_yet_valid, expired or revoked on `day`; valid through expires_on itself, never expiring if None.

    A revoked certificate never counts again, whatever the day asked about.
    """
    if certificate.revoked_at is not None:
        return REVOKED
    if day < certificate.issued_on:
        return NOT_YET_VALID
    if certificate.expires_on is not None and day > certificate.expires_on:
        return EXPIRED
    return VALID


def qualified_skills(certificates, day):
    """The skill codes the valid certificates on `day` qualify for, sorted."""
    return sorted({c.skill_code for c in certificates if certificate_status(c, day) == VALID})


def lapsed_certificates(certificates, day):
    """Certificates held that do not count on `day`, each with its status: what a refusal names."""
    return [(c, certificate_status(c, day)) for c in certificates if certificate_status(c, day) != VALID]
