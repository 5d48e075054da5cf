"""The quality service: the final inspection of every completed repair before the car is delivered."""
import logging

from nameko.rpc import rpc
from sqlalchemy import select

from contracts.quality import (
    INSPECTION_FAILED, INSPECTION_PASSED, InspectionQuery, InspectionResult, InspectionView,
)
from contracts.workshop import REPAIR_COMPLETED
from quality.checklist import FINAL_INSPECTION_CHECKLIST, PASSED, PENDING, failed_items, match_answers, outcome
from quality.models import Base, ChecklistItem, Inspection
from svckit.auth import Auth
from svckit.db import Database, utcnow
from svckit.errors import Conflict, NotFound
from svckit.events import consumes
from svckit.health import health_report
from svckit.schemas import load

log = logging.getLogger(__name__)


class QualityService:
    name = "quality"

    db = Database(Base.metadata, migrations="quality:migrations")
    auth = Auth()

    @rpc
    def health(self):
        return health_report(self.name, self.db)

    # --- inspections ---

    @rpc
    def get_inspection(self, inspection_id):
        inspection = self._inspection(inspection_id)
        self.auth.require_site(inspection.site_id)
        return InspectionView().dump(inspection)

    @rpc
    def list_inspections(self, payload):
        """Inspections of the caller's sites, newest first, narrowed by site, repair order and status."""
        data = load(InspectionQuery, payload)
        query = self.auth.restrict_to_sites(select(Inspection), Inspection.site_id, data["site_id"])
        if data["repair_order_id"]:
            query = query.where(Inspection.repair_order_id == data["repair_order_id"])
        if data["status"]:
            query = query.where(Inspection.status == data["status"])
        inspections = self.db.scalars(query.order_by(Inspection.created_at.desc(), Inspection.id)).all()
        return InspectionView(many=True).dump(inspections)

    @rpc
    def record_inspection(self, inspection_id, payload):
        """The inspector's verdict on every checklist item: passed if all pass, else failed (back to rework)."""
        self.auth.require_role("qc_inspector", "foreman")
        data = load(InspectionResult, payload)
        inspection = self._inspection(inspection_id, for_update=True)
        self.auth.require_site(inspection.site_id)
        if inspection.status != PENDING:
            raise Conflict(
                f"Inspection {inspection.id} was already recorded as {inspection.status} by {inspection.inspector}.",
                {"status": [f"Only a pending inspection may be recorded; this one is {inspection.status}."]})
        items = [entry.item for entry in inspection.checklist]
        answers = match_answers(items, data["items"])
        for entry in inspection.checklist:
            entry.passed = answers[entry.item]["passed"]
            entry.note = answers[entry.item]["note"]
        inspection.status = outcome(list(answers.values()))
        inspection.remarks = data["remarks"].strip()
        inspection.inspector = self.auth.username
        inspection.inspected_at = utcnow()
        event = {
            "inspection_id": inspection.id, "repair_order_id": inspection.repair_order_id,
            "visit_id": inspection.visit_id, "vehicle_id": inspection.vehicle_id,
            "inspector": inspection.inspector, "inspected_at": inspection.inspected_at.isoformat(),
        }
        if inspection.status == PASSED:
            self.db.emit(INSPECTION_PASSED, event, site_id=inspection.site_id)
        else:
            self.db.emit(INSPECTION_FAILED, {**event, "failed_items": failed_items(items, answers)},
                         site_id=inspection.site_id)
        self.db.commit()
        return InspectionView().dump(inspection)

    @consumes(REPAIR_COMPLETED)
    def open_inspection_for_completed_repair(self, event):
        """The workshop hands the car over: it waits for its final inspection."""
        repair_order_id = event.payload["repair_order_id"]
        pending = self.db.scalars(select(Inspection).where(
            Inspection.repair_order_id == repair_order_id, Inspection.status == PENDING)).first()
        if pending is not None:  # completed again before it was inspected: the pending inspection covers it
            log.info("repair order %s already waits for inspection %s", repair_order_id, pending.id)
            return
        self.db.add(Inspection(
            site_id=event.site_id, repair_order_id=repair_order_id, visit_id=event.payload["visit_id"],
            vehicle_id=event.payload["vehicle_id"], technician_id=event.payload["technician_id"],
            status=PENDING, remarks="",
            checklist=[ChecklistItem(site_id=event.site_id, position=position, item=item, note="")
                       for position, item in enumerate(FINAL_INSPECTION_CHECKLIST)],
        ))

    # --- lookups ---

    def _inspection(self, inspection_id, for_update=False):
        query = select(Inspection).where(Inspection.id == str(inspection_id))
        if for_update:
            query = query.with_for_update(of=Inspection)
        inspection = self.db.scalars(query).one_or_none()
        if inspection is None:
            raise NotFound(f"No inspection {inspection_id}.", {"inspection_id": ["Unknown inspection."]})
        return inspection
