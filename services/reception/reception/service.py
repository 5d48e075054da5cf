"""The reception service: what the gateway and other services may ask of the service advisor's desk."""
import logging
from datetime import timezone

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.quality import INSPECTION_PASSED
from contracts.reception import (
    VEHICLE_CHECKED_IN, VEHICLE_DELIVERED, CheckIn, Delivery, VehicleCheckedInPayload, VehicleDeliveredPayload,
    VisitQuery, VisitView,
)
from contracts.workshop import PROMISED_TIME_CHANGED, REPAIR_ORDER_OPENED
from reception.models import Base, Visit
from reception.visits import CHECKED_IN, DELIVERED, check_mileage, check_promised_at
from svckit.auth import Auth
from svckit.db import Database, new_id, utcnow
from svckit.errors import Conflict, NotFound
from svckit.events import consumes
from svckit.health import health_report
from svckit.rpc import ServiceRpc
from svckit.schemas import load

log = logging.getLogger(__name__)


class ReceptionService:
    name = "reception"

    db = Database(Base.metadata, migrations="reception:migrations")
    auth = Auth()
    crm = ServiceRpc("crm")
    workshop = ServiceRpc("workshop")

    @rpc
    def health(self):
        return health_report(self.name, self.db)

    # --- check-in (接车) ---

    @rpc
    def check_in(self, payload):
        """Receive a car at the desk: a visit begins and the workshop is told to open a repair order."""
        self.auth.require_role("service_advisor")
        data = load(CheckIn, payload)
        self.auth.require_site(data["site_id"])
        vehicle = self.crm.get_vehicle(data["vehicle_id"])
        check_mileage(data["mileage_km"], vehicle["mileage_km"])
        promised_at = data["promised_at"].astimezone(timezone.utc)
        now = utcnow()
        check_promised_at(promised_at, now)
        self._refuse_second_open_visit(data["vehicle_id"])
        visit = self.db.add(Visit(
            id=new_id(), site_id=data["site_id"], vehicle_id=vehicle["vehicle_id"],
            customer_id=vehicle["customer_id"], vin=vehicle["vin"], plate=vehicle["plate"],
            mileage_km=data["mileage_km"], concern=data["concern"], walk_around_notes=data["walk_around_notes"],
            promised_at=promised_at, checked_in_at=now, advisor=self.auth.username, status=CHECKED_IN,
            currency="CNY", delivery_notes=""))
        view = VisitView().dump(visit)
        try:
            self.db.emit(VEHICLE_CHECKED_IN, _payload(VehicleCheckedInPayload, view), site_id=visit.site_id)
            self.db.commit()
        except IntegrityError:  # the same vehicle checked in concurrently: the other one won
            self.db.rollback()
            self._refuse_second_open_visit(data["vehicle_id"])
            raise
        log.info("visit %s: vehicle %s checked in at %s by %s", visit.id, visit.vehicle_id, visit.site_id,
                 visit.advisor)
        return view

    # --- visits ---

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

    # --- delivery (交车) ---

    @rpc
    def deliver(self, visit_id, payload):
        """Hand the car back with the bill the workshop worked out."""
        self.auth.require_role("service_advisor")
        data = load(Delivery, payload)
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        visit.check_deliverable()
        repair_order = self.workshop.get_repair_order(visit.repair_order_id)
        visit = self._visit_for_update(visit_id)  # another advisor may have delivered it meanwhile
        visit.record_delivery(repair_order["labour_total"], repair_order["parts_total"], repair_order["total"],
                              notes=data["notes"], at=utcnow())
        view = VisitView().dump(visit)
        self.db.emit(VEHICLE_DELIVERED, _payload(VehicleDeliveredPayload, view), site_id=visit.site_id)
        self.db.commit()
        log.info("visit %s: vehicle %s delivered, promised time kept: %s", visit.id, visit.vehicle_id,
                 visit.promised_time_kept)
        return view

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


def _payload(schema, view):
    """An event payload: the fields its contract names, taken from the visit's view."""
    return {name: view[name] for name in schema().fields}
