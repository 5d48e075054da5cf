"""Work the customer declined, kept on the vehicle to offer again (建议维修项目), and reminded of after delivery."""
import logging

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import select

from contracts.crm import (
    RecommendationQuery, RecommendationReminderQuery, RecommendationReminderView, RecommendationView,
)
from contracts.reception import VEHICLE_DELIVERED
from contracts.workshop import WORK_DECLINED
from crm.models import Recommendation, RecommendationReminder, Vehicle
from crm.rules.reminders import (
    CANCELLED, DEFAULT_REMINDER_DAYS, REMINDER_TOPIC, SCHEDULED, SENT, reminder_due_at, reminder_text, still_open,
)
from svckit.db import utcnow
from svckit.events import consumes
from svckit.schemas import load

log = logging.getLogger(__name__)
REMINDER_CHECK_SECONDS = 3600


class RecommendationApi:
    @consumes(WORK_DECLINED)
    def keep_declined_work_as_recommendations(self, event):
        declined = event.payload
        vehicle = self.db.get(Vehicle, declined["vehicle_id"])
        if vehicle is None:
            return  # a car crm does not know: nobody to remind
        known = set(self.db.scalars(select(Recommendation.repair_order_line_id).where(
            Recommendation.repair_order_line_id.in_([line["line_id"] for line in declined["lines"]]))))
        for line in declined["lines"]:
            if line["line_id"] not in known:  # the same line declined again in a later approval round
                self.db.add(Recommendation(
                    site_id=event.site_id, customer_id=vehicle.customer_id, vehicle_id=vehicle.id,
                    repair_order_id=declined["repair_order_id"], repair_order_line_id=line["line_id"],
                    kind=line["kind"], code=line["code"], description=line["description"], amount=line["amount"],
                    mileage_km=declined["mileage_km"], declined_at=declined["declined_at"], status="open"))

    @rpc
    def list_recommendations(self, payload):
        data = load(RecommendationQuery, payload)
        vehicle = self._vehicle(data["vehicle_id"])
        self.auth.require_site(vehicle.site_id)
        query = select(Recommendation).where(Recommendation.vehicle_id == vehicle.id)
        if data["status"] != "all":
            query = query.where(Recommendation.status == data["status"])
        query = query.order_by(Recommendation.declined_at.desc(), Recommendation.id)
        return RecommendationView(many=True).dump(self.db.scalars(query).all())

    # --- reminders of declined work after delivery ---

    @consumes(VEHICLE_DELIVERED)
    def schedule_recommendation_reminder(self, event):
        """The car went home with work declined: the customer is reminded of it some days later, once per visit."""
        delivered = event.payload
        if self.db.scalars(select(RecommendationReminder.id).where(
                RecommendationReminder.visit_id == delivered["visit_id"])).first():
            return  # the same delivery announced again: one reminder per visit
        vehicle = self.db.get(Vehicle, delivered["vehicle_id"])
        if vehicle is None:
            return  # a car crm does not know: nobody to remind
        recommendations = self._open_recommendations(vehicle.id)
        if not recommendations:
            return
        days = int(self.config.get("RECOMMENDATION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))
        self.db.add(RecommendationReminder(
            site_id=event.site_id, customer_id=vehicle.customer_id, vehicle_id=vehicle.id,
            visit_id=delivered["visit_id"], recommendation_ids=[r.id for r in recommendations],
            due_at=reminder_due_at(delivered["delivered_at"], days),
            text=reminder_text(vehicle.plate, [r.description for r in recommendations]), status=SCHEDULED))

    @rpc
    def list_recommendation_reminders(self, payload):
        data = load(RecommendationReminderQuery, payload)
        query = self.auth.restrict_to_sites(select(RecommendationReminder), RecommendationReminder.site_id,
                                            data["site_id"])
        for field in ("vehicle_id", "visit_id"):
            if data[field] is not None:
                query = query.where(getattr(RecommendationReminder, field) == data[field])
        query = query.order_by(RecommendationReminder.due_at.desc()).limit(500)
        return RecommendationReminderView(many=True).dump(self.db.scalars(query).all())

    @timer(interval=REMINDER_CHECK_SECONDS)
    @rpc
    def send_due_reminders(self):
        """Queue the message of every reminder now due whose work is still open; the others are cancelled."""
        self.auth.require_role()  # the timer (as the system) or an administrator
        due = self.db.scalars(select(RecommendationReminder).where(
            RecommendationReminder.status == SCHEDULED, RecommendationReminder.due_at <= utcnow())
            .order_by(RecommendationReminder.due_at).with_for_update(skip_locked=True)).all()
        sent = 0
        for reminder in due:
            open_ones = still_open(self.db.scalars(select(Recommendation).where(
                Recommendation.id.in_(reminder.recommendation_ids))).all())
            if not open_ones:
                reminder.status = CANCELLED
                continue
            vehicle = self.db.get(Vehicle, reminder.vehicle_id)
            self._queue_message(vehicle, None, REMINDER_TOPIC,
                                reminder_text(vehicle.plate, [r.description for r in open_ones]), reminder.site_id)
            reminder.status, reminder.sent_at = SENT, utcnow()
            sent += 1
        self.db.commit()
        if due:
            log.info("recommendation reminders: %s sent, %s cancelled", sent, len(due) - sent)
        return {"due": len(due), "sent": sent}

    def _open_recommendations(self, vehicle_id):
        return self.db.scalars(select(Recommendation).where(
            Recommendation.vehicle_id == vehicle_id, Recommendation.status == "open")
            .order_by(Recommendation.declined_at, Recommendation.id)).all()
