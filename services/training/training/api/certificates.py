"""Certificates (上岗证/资质): who is qualified for which skill on which day (manual ch. 8)."""

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.training import (
    CERTIFICATE_GRANTED, CERTIFICATE_REVOKED, SKILLS, CertificateView, NewCertificate,
    QualificationQuery, QualificationsView, Revocation,
)
from svckit.config import site_time_zone
from svckit.db import columns, utcnow
from svckit.errors import Conflict, NotFound
from svckit.schemas import load
from training.models import Certificate
from training.rules import certificate_status, lapsed_certificates, qualified_skills



class CertificateApi:
    @rpc
    def grant_certificate(self, staff_id, payload):
        self.auth.require_role("trainer", "site_manager")
        data = load(NewCertificate, payload)
        staff = self._staff(staff_id)
        self.auth.require_site(staff.site_id)
        if self._certificate_numbered(data["skill_code"], data["number"]) is not None:
            raise _duplicate(data)
        certificate = self.db.add(Certificate(staff_id=staff.id, granted_by=self.auth.username, granted_at=utcnow(),
                                              **data))
        try:
            self.db.flush()
        except IntegrityError:  # granted at the same moment by someone else
            raise _duplicate(data) from None
        self.db.emit(CERTIFICATE_GRANTED, {
            "certificate_id": certificate.id, "staff_id": staff.id, "skill_code": certificate.skill_code,
            "number": certificate.number, "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        }, site_id=staff.site_id)
        self.db.commit()
        return self._certificate_view(certificate)

    @rpc
    def list_certificates(self, staff_id):
        staff = self._staff(staff_id)
        self.auth.require_site(staff.site_id)
        return [self._certificate_view(c) for c in self._certificates_of(staff.id)]

    @rpc
    def revoke_certificate(self, staff_id, certificate_id, payload):
        self.auth.require_role("trainer", "site_manager")
        reason = load(Revocation, payload)["reason"]
        staff = self._staff(staff_id)
        self.auth.require_site(staff.site_id)
        certificate = self.db.get(Certificate, str(certificate_id))
        if certificate is None or certificate.staff_id != staff.id:
            raise NotFound(f"{staff.name} has no certificate {certificate_id}.",
                           {"certificate_id": ["Unknown certificate of this staff member."]})
        if certificate.revoked_at is not None:
            raise Conflict(f"Certificate {certificate.number} was already revoked.",
                           {"certificate_id": [f"Revoked on {certificate.revoked_at.isoformat()}."]})
        certificate.revoked_at, certificate.revoked_by, certificate.revoked_reason = utcnow(), self.auth.username, reason
        self.db.emit(CERTIFICATE_REVOKED, {
            "certificate_id": certificate.id, "staff_id": staff.id, "skill_code": certificate.skill_code,
            "reason": reason, "revoked_at": certificate.revoked_at.isoformat(),
        }, site_id=staff.site_id)
        self.db.commit()
        return self._certificate_view(certificate)

    @rpc
    def qualifications(self, staff_id, payload=None):
        """The skill codes a staff member's valid certificates cover on a day (today by default)."""
        query = load(QualificationQuery, payload or {})
        staff = self._staff(staff_id)
        self.auth.require_site(staff.site_id)
        day = query["on_day"] or self._today()
        certificates = self._certificates_of(staff.id)
        return QualificationsView().dump({
            "staff_id": staff.id, "name": staff.name, "on_day": day,
            "skill_codes": qualified_skills(certificates, day),
            "lapsed": [{**columns(c), "status": status} for c, status in lapsed_certificates(certificates, day)],
        })

    # --- helpers ---

    def _certificates_of(self, staff_id):
        return self.db.scalars(select(Certificate).where(Certificate.staff_id == staff_id)
                               .order_by(Certificate.skill_code, Certificate.issued_on, Certificate.id)).all()

    def _certificate_numbered(self, skill_code, number):
        return self.db.scalars(select(Certificate).where(Certificate.skill_code == skill_code,
                                                         Certificate.number == number)).first()

    def _certificate_view(self, certificate):
        return CertificateView().dump({**columns(certificate), "skill": SKILLS.get(certificate.skill_code),
                                       "status": certificate_status(certificate, self._today())})

    def _today(self):
        return utcnow().astimezone(site_time_zone(self.config)).date()


def _duplicate(data):
    return Conflict(f"A {data['skill_code']} certificate numbered {data['number']} is already registered.",
                    {"number": ["Already registered for this skill."]})
