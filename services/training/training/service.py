"""The training service: the staff register, their certificates, and the work credited to each technician."""
import logging
import uuid
from decimal import Decimal

from nameko.dependency_providers import Config
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.training import (
    TECHNICIAN_JOB_CREDITED, JobCreditsView, NewStaff, StaffQuery, StaffView,
)
from contracts.workshop import REPAIR_ORDER_CLOSED
from svckit.auth import Auth
from svckit.db import Database, utcnow
from svckit.errors import NotFound
from svckit.events import consumes
from svckit.health import health_report
from svckit.schemas import load
from training.api.certificates import CertificateApi
from training.models import Base, JobCredit, Staff
from training.rules import check_grade, hours_by_technician

log = logging.getLogger(__name__)


class TrainingService(CertificateApi):
    name = "training"

    db = Database(Base.metadata, migrations="training:migrations")
    auth = Auth()
    config = Config()

    @rpc
    def health(self):
        return health_report(self.name, self.db)

    # --- staff ---

    @rpc
    def create_staff(self, payload):
        self.auth.require_role("trainer", "site_manager")
        data = load(NewStaff, payload)
        self.auth.require_site(data["site_id"])
        check_grade(data["role"], data["grade"])
        staff = self.db.add(Staff(**data, active=True))
        self.db.commit()
        return StaffView().dump(staff)

    @rpc
    def get_staff(self, staff_id):
        staff = self._staff(staff_id)
        self.auth.require_site(staff.site_id)
        return StaffView().dump(staff)

    @rpc
    def list_staff(self, payload):
        query = load(StaffQuery, payload)
        statement = self.auth.restrict_to_sites(
            select(Staff).order_by(Staff.name, Staff.id), Staff.site_id, query["site_id"])
        if query["role"] is not None:
            statement = statement.where(Staff.role == query["role"])
        return StaffView(many=True).dump(self.db.scalars(statement).all())

    # --- job credits ---

    @rpc
    def list_job_credits(self, staff_id):
        canonical_id = _canonical_id(staff_id)
        if canonical_id is None:
            raise _unknown_staff(staff_id)
        staff = self.db.get(Staff, canonical_id)
        credits = self.db.scalars(select(JobCredit).where(JobCredit.staff_id == canonical_id)
                                  .order_by(JobCredit.credited_at, JobCredit.repair_order_id)).all()
        if staff is None and not credits:
            raise _unknown_staff(staff_id)
        # A technician credited before being registered has no staff file: the credits' sites stand in.
        for site_id in {staff.site_id} if staff else {credit.site_id for credit in credits}:
            self.auth.require_site(site_id)
        return JobCreditsView().dump({
            "staff_id": canonical_id,
            "total_hours": sum((credit.hours for credit in credits), Decimal("0.00")),
            "credits": credits,
        })

    @consumes(REPAIR_ORDER_CLOSED)
    def credit_technicians_for_closed_repair_order(self, event):
        """Each technician on the closed RO is credited once with the hours of their labour lines."""
        repair_order_id = event.payload["repair_order_id"]
        for staff_id, hours in hours_by_technician(event.payload["labour_lines"]).items():
            if self._credit(staff_id, repair_order_id) is not None:
                log.info("technician %s already credited for repair order %s", staff_id, repair_order_id)
                continue
            if self.db.get(Staff, staff_id) is None:
                log.warning("crediting %s hours of repair order %s to technician %s, who has no staff file yet",
                            hours, repair_order_id, staff_id)
            credit = self.db.add(JobCredit(staff_id=staff_id, repair_order_id=repair_order_id, hours=hours,
                                           credited_at=utcnow(), site_id=event.site_id))
            self.db.emit(TECHNICIAN_JOB_CREDITED, {
                "staff_id": staff_id, "repair_order_id": repair_order_id,
                "hours": str(hours), "credited_at": credit.credited_at.isoformat(),
            }, site_id=event.site_id)

    # --- lookups ---

    def _staff(self, staff_id):
        canonical_id = _canonical_id(staff_id)
        staff = self.db.get(Staff, canonical_id) if canonical_id else None
        if staff is None:
            raise _unknown_staff(staff_id)
        return staff

    def _credit(self, staff_id, repair_order_id):
        return self.db.scalars(select(JobCredit).where(
            JobCredit.staff_id == staff_id, JobCredit.repair_order_id == repair_order_id)).one_or_none()


def _canonical_id(value):
    """The id as it is stored (lower-case canonical UUID), or None when it cannot be one."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _unknown_staff(staff_id):
    return NotFound(f"No staff member {staff_id}.", {"staff_id": ["Unknown staff member."]})
