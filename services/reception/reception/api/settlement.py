"""Delivery and settlement (交车、结算): the bill, payments and the handover."""
import logging

from nameko.rpc import rpc

from contracts.reception import VEHICLE_DELIVERED, Delivery, VisitView
from svckit.db import utcnow
from svckit.schemas import load

log = logging.getLogger(__name__)


class SettlementApi:
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
        self.db.emit(VEHICLE_DELIVERED, VEHICLE_DELIVERED.taken_from(view), site_id=visit.site_id)
        self.db.commit()
        log.info("visit %s: vehicle %s delivered, promised time kept: %s", visit.id, visit.vehicle_id,
                 visit.promised_time_kept)
        return view


