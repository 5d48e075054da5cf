"""Visits: reading them, and what other services tell reception about them."""
import logging
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.quality import INSPECTION_PASSED
from contracts.reception import VisitQuery, VisitView
from contracts.workshop import PROMISED_TIME_CHANGED, REPAIR_ORDER_OPENED
from reception.models import Visit
from reception.rules.visits import DELIVERED
from svckit.config import site_time_zone
from svckit.db import utcnow
from svckit.errors import Conflict, NotFound
from svckit.events import consumes
from svckit.schemas import load

log = logging.getLogger(__name__)


class VisitApi:
    @rpc
    def get_visit(self, visit_id):
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        return VisitView().dump(visit)

    @rpc
    def list_visits(self, payload):
        """Visits of the caller's sites, newest check-in first."""
        data = load(VisitQuery, payload)
        query = self.auth.restrict_to_sites(select(Visit), Visit.site_id, data["site_id"])
        if data["status"]:
            query = query.where(Visit.status == data["status"])
        visits = self.db.scalars(query.order_by(Visit.checked_in_at.desc(), Visit.id)).all()
        return VisitView(many=True).dump(visits)

    # --- what other services tell reception ---

    @consumes(REPAIR_ORDER_OPENED)
    def record_repair_order(self, event):
        visit = self._visit_for_update(event.payload["visit_id"], required=False)
        if visit is None:
            log.warning("repair order %s names unknown visit %s; ignored",
                        event.payload["repair_order_id"], event.payload["visit_id"])
            return
        visit.repair_order_id = event.payload["repair_order_id"]

    @consumes(INSPECTION_PASSED)
    def mark_ready_for_delivery(self, event):
        visit = self._visit_for_update(event.payload["visit_id"], required=False)
        if visit is None:
            log.warning("inspection %s names unknown visit %s; ignored",
                        event.payload["inspection_id"], event.payload["visit_id"])
            return
        if not visit.mark_ready_for_delivery(utcnow()):
            log.info("inspection %s passed after visit %s was delivered; ignored",
                     event.payload["inspection_id"], visit.id)
            return
        # The inspection names the repair order too, in case its repair_order_opened has not arrived yet.
        visit.repair_order_id = visit.repair_order_id or event.payload["repair_order_id"]

    @consumes(PROMISED_TIME_CHANGED)
    def record_new_promised_time(self, event):
        """The advisor agreed a new time with the customer: delivery is measured against it."""
        visit = self._visit_for_update(event.payload["visit_id"], required=False)
        if visit is None or visit.status == DELIVERED:
            return
        visit.promised_at = event.payload["promised_at"]

    # --- lookups ---

    def _zone(self):
        return site_time_zone(self.config)

    def _visit(self, visit_id):
        visit = self.db.get(Visit, str(visit_id))
        if visit is None:
            raise NotFound(f"No visit {visit_id}.", {"visit_id": ["Unknown visit."]})
        return visit

    def _visit_for_update(self, visit_id, required=True):
        """The visit, re-read and locked until commit, so changes to one visit queue up."""
        visit = self.db.scalars(
            select(Visit).where(Visit.id == str(visit_id))
            .with_for_update().execution_options(populate_existing=True)).one_or_none()
        if visit is None and required:
            raise NotFound(f"No visit {visit_id}.", {"visit_id": ["Unknown visit."]})
        return visit

    def _refuse_second_open_visit(self, vehicle_id):
        open_visit = self.db.scalars(select(Visit).where(
            Visit.vehicle_id == vehicle_id, Visit.status != DELIVERED)).first()
        if open_visit is not None:
            raise Conflict(
                f"Vehicle {vehicle_id} is already checked in (visit {open_visit.id}, {open_visit.status}).",
                {"vehicle_id": [f"Has an open visit {open_visit.id}; deliver it first."]})

