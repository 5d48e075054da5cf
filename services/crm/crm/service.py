"""The crm service: the customer database, their vehicles and the care calls after each visit."""
from nameko.dependency_providers import Config
from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.crm import (
    CUSTOMER_MESSAGE_QUEUED, CUSTOMER_REGISTERED, FOLLOW_UP_SCHEDULED, VEHICLE_REGISTERED, CustomerMessageQuery,
    CustomerMessageView, CustomerView, FollowUpQuery, FollowUpView, NewCustomer, NewVehicle, RecommendationQuery,
    RecommendationView, VehicleSearch, VehicleView,
)
from contracts.reception import VEHICLE_CHECKED_IN, VEHICLE_DELIVERED
from contracts.workshop import REPAIR_ORDER_STATUS_CHANGED, WORK_DECLINED
from crm.customers import (
    DEFAULT_FOLLOW_UP_DELAY_DAYS, FOLLOW_UP_CHANNEL, FOLLOW_UP_REASON, follow_up_due_at, follow_up_status,
    recorded_mileage,
)
from crm.messages import MESSAGE_CHANNEL, QUEUED, message_status, status_update_text
from crm.models import Base, Customer, CustomerMessage, FollowUp, Recommendation, Vehicle
from svckit.auth import Auth
from svckit.db import Database
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.events import consumes
from svckit.health import health_report
from svckit.schemas import load

CARE_ROLES = ("service_advisor", "customer_care")


class CrmService:
    name = "crm"

    db = Database(Base.metadata, migrations="crm:migrations")
    auth = Auth()
    config = Config()

    @rpc
    def health(self):
        return health_report(self.name, self.db)

    # --- customers ---

    @rpc
    def create_customer(self, payload):
        self.auth.require_role(*CARE_ROLES)
        data = load(NewCustomer, payload)
        self.auth.require_site(data["site_id"])
        if self._customer_by_phone(data["site_id"], data["phone"]):
            raise _phone_taken()
        customer = self.db.add(Customer(**data))
        self.db.flush()
        self.db.emit(CUSTOMER_REGISTERED, {"customer_id": customer.id, "name": customer.name},
                     site_id=customer.site_id)
        try:
            self.db.commit()
        except IntegrityError:  # the same phone registered concurrently at this site
            self.db.rollback()
            raise _phone_taken() from None
        return CustomerView().dump(customer)

    @rpc
    def get_customer(self, customer_id):
        customer = self._customer(customer_id)
        self.auth.require_site(customer.site_id)
        return CustomerView().dump(customer)

    # --- vehicles ---

    @rpc
    def register_vehicle(self, payload):
        self.auth.require_role(*CARE_ROLES)
        data = load(NewVehicle, payload)
        self.auth.require_site(data["site_id"])
        customer = self._customer(data["customer_id"])
        self.auth.require_site(customer.site_id)
        if self._vehicle_by_vin(data["vin"]):
            raise _vin_taken()
        vehicle = self.db.add(Vehicle(**data))
        self.db.flush()
        self.db.emit(VEHICLE_REGISTERED, {
            "vehicle_id": vehicle.id, "customer_id": vehicle.customer_id, "vin": vehicle.vin,
            "plate": vehicle.plate, "model": vehicle.model, "mileage_km": vehicle.mileage_km,
        }, site_id=vehicle.site_id)
        try:
            self.db.commit()
        except IntegrityError:  # the same VIN registered concurrently
            self.db.rollback()
            raise _vin_taken() from None
        return VehicleView().dump(vehicle)

    @rpc
    def get_vehicle(self, vehicle_id):
        vehicle = self._vehicle(vehicle_id)
        self.auth.require_site(vehicle.site_id)
        return VehicleView().dump(vehicle)

    @rpc
    def search_vehicles(self, payload):
        data = load(VehicleSearch, payload)
        if data["plate"] is None and data["vin"] is None:
            raise InvalidInput("Give a plate, a VIN or both to search by.",
                               {"_schema": ["Give a plate, a VIN or both."]})
        query = self.auth.restrict_to_sites(select(Vehicle), Vehicle.site_id).order_by(Vehicle.created_at)
        if data["plate"] is not None:
            query = query.where(Vehicle.plate == data["plate"])
        if data["vin"] is not None:
            query = query.where(Vehicle.vin == data["vin"])
        return VehicleView(many=True).dump(self.db.scalars(query).all())

    @consumes(VEHICLE_CHECKED_IN)
    def record_mileage_at_check_in(self, event):
        vehicle = self._vehicle(event.payload["vehicle_id"], for_update=True)
        vehicle.mileage_km = recorded_mileage(vehicle.mileage_km, event.payload["mileage_km"])

    # --- follow-up calls ---

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

    # --- declined work, offered again later ---

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

    # --- messages to customers ---

    @consumes(REPAIR_ORDER_STATUS_CHANGED)
    def tell_customer_about_progress(self, event):
        change = event.payload
        vehicle = self.db.get(Vehicle, change["vehicle_id"])
        if vehicle is None:
            return  # a car crm does not know has nobody to tell
        text = status_update_text(change["to_status"], vehicle.plate, change["promised_at"], change["reason"])
        if text is not None:
            self._queue_message(vehicle, change["repair_order_id"], f"status:{change['to_status']}", text,
                                event.site_id)

    @rpc
    def list_customer_messages(self, payload):
        data = load(CustomerMessageQuery, payload)
        query = self.auth.restrict_to_sites(select(CustomerMessage), CustomerMessage.site_id, data["site_id"])
        for field in ("customer_id", "vehicle_id", "repair_order_id"):
            if data[field] is not None:
                query = query.where(getattr(CustomerMessage, field) == data[field])
        query = query.order_by(CustomerMessage.created_at.desc()).limit(500)
        return CustomerMessageView(many=True).dump(self.db.scalars(query).all())

    def _queue_message(self, vehicle, repair_order_id, topic, text, site_id):
        customer = self._customer(vehicle.customer_id)
        message = self.db.add(CustomerMessage(
            site_id=site_id, customer_id=customer.id, vehicle_id=vehicle.id, repair_order_id=repair_order_id,
            topic=topic, channel=MESSAGE_CHANNEL, text=text, status=message_status(customer.contact_consent)))
        self.db.flush()
        if message.status == QUEUED:
            self.db.emit(CUSTOMER_MESSAGE_QUEUED, {
                "message_id": message.id, "customer_id": message.customer_id, "vehicle_id": message.vehicle_id,
                "repair_order_id": repair_order_id, "topic": topic, "channel": message.channel, "text": text,
            }, site_id=site_id)
        return message

    # --- lookups ---

    def _customer(self, customer_id):
        customer = self.db.get(Customer, str(customer_id))
        if customer is None:
            raise NotFound(f"No customer {customer_id}.", {"customer_id": ["Unknown customer."]})
        return customer

    def _customer_by_phone(self, site_id, phone):
        return self.db.scalars(
            select(Customer).where(Customer.site_id == site_id, Customer.phone == phone)).one_or_none()

    def _vehicle(self, vehicle_id, for_update=False):
        """The vehicle; with `for_update`, locked until commit so concurrent check-ins queue up."""
        query = select(Vehicle).where(Vehicle.id == str(vehicle_id))
        vehicle = self.db.scalars(query.with_for_update() if for_update else query).one_or_none()
        if vehicle is None:
            raise NotFound(f"No vehicle {vehicle_id}.", {"vehicle_id": ["Unknown vehicle."]})
        return vehicle

    def _vehicle_by_vin(self, vin):
        return self.db.scalars(select(Vehicle).where(Vehicle.vin == vin)).one_or_none()

    def _follow_up_for_visit(self, visit_id):
        return self.db.scalars(select(FollowUp).where(FollowUp.visit_id == visit_id)).one_or_none()



def _phone_taken():
    return Conflict("A customer with this phone number is already registered at this site.",
                    {"phone": ["Already registered at this site."]})


def _vin_taken():
    return Conflict("A vehicle with this VIN is already registered in the group.",
                    {"vin": ["Already registered."]})
