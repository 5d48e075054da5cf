"""Check-in (接车): the car is received at the desk, a visit begins and the workshop opens a repair order."""
import logging
from datetime import timezone

from nameko.rpc import rpc
from sqlalchemy.exc import IntegrityError

from contracts.reception import VEHICLE_CHECKED_IN, CheckIn, VisitView
from reception.models import Visit
from reception.rules.visits import CHECKED_IN, check_mileage, check_promised_at
from svckit.db import new_id, utcnow
from svckit.schemas import load

log = logging.getLogger(__name__)


class CheckInApi:
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
        try:
            self.db.flush()
            if data["appointment_id"]:
                self.appointment_arrived(data["appointment_id"], visit)
            self.issue_tracking_link(visit)
            view = VisitView().dump(visit)
            self.db.emit(VEHICLE_CHECKED_IN, VEHICLE_CHECKED_IN.taken_from(view), site_id=visit.site_id)
            self.db.commit()
        except IntegrityError:  # the same vehicle checked in concurrently: the other one won
            self.db.rollback()
            self._refuse_second_open_visit(data["vehicle_id"])
            raise
        log.info("visit %s: vehicle %s checked in at %s by %s", visit.id, visit.vehicle_id, visit.site_id,
                 visit.advisor)
        return view


