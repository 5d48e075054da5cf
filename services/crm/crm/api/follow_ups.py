"""Follow-up calls after a delivered visit (回访)."""
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.crm import FOLLOW_UP_SCHEDULED, FollowUpQuery, FollowUpView
from contracts.reception import VEHICLE_DELIVERED
from crm.rules.customers import (
    DEFAULT_FOLLOW_UP_DELAY_DAYS, FOLLOW_UP_CHANNEL, FOLLOW_UP_REASON, follow_up_due_at, follow_up_status,
)
from crm.models import FollowUp
from svckit.events import consumes
from svckit.schemas import load


class FollowUpApi:
    @rpc
    def list_follow_ups(self, payload):
        data = load(FollowUpQuery, payload)
        query = self.auth.restrict_to_sites(select(FollowUp), FollowUp.site_id, data["site_id"])
        if data["vehicle_id"] is not None:
            query = query.where(FollowUp.vehicle_id == data["vehicle_id"])
        if data["status"] is not None:
            query = query.where(FollowUp.status == data["status"])
        query = query.order_by(FollowUp.due_at.desc(), FollowUp.created_at.desc())
        return FollowUpView(many=True).dump(self.db.scalars(query).all())

    @consumes(VEHICLE_DELIVERED)
    def schedule_follow_up_call(self, event):
        """The car went home: a care agent calls the customer a few days later, if they agreed to calls."""
        delivered = event.payload
        if self._follow_up_for_visit(delivered["visit_id"]):
            return  # the same delivery announced again under a new event id: one call per visit
        customer = self._customer(delivered["customer_id"])
        vehicle = self._vehicle(delivered["vehicle_id"])
        delay_days = int(self.config.get("FOLLOW_UP_DELAY_DAYS", DEFAULT_FOLLOW_UP_DELAY_DAYS))
        follow_up = self.db.add(FollowUp(
            site_id=event.site_id, customer_id=customer.id, vehicle_id=vehicle.id, visit_id=delivered["visit_id"],
            due_at=follow_up_due_at(delivered["delivered_at"], delay_days), channel=FOLLOW_UP_CHANNEL,
            reason=FOLLOW_UP_REASON, status=follow_up_status(customer.contact_consent)))
        self.db.flush()
        if follow_up.status == "scheduled":
            self.db.emit(FOLLOW_UP_SCHEDULED, {
                "follow_up_id": follow_up.id, "customer_id": follow_up.customer_id,
                "vehicle_id": follow_up.vehicle_id, "visit_id": follow_up.visit_id,
                "due_at": follow_up.due_at.isoformat(), "channel": follow_up.channel, "reason": follow_up.reason,
            }, site_id=follow_up.site_id)
