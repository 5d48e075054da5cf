"""Check-in (接车): the car is received at the desk, a visit begins and the workshop opens a repair order.

The desk finds the car and its owner in crm or registers them, records the walk-around (环车检查) with photos
and the customer's signature, agrees the promised time from the workshop's load and prints the job card.
"""
import base64
import hashlib
import logging
from datetime import time, timedelta, timezone
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from contracts.reception import (
    VEHICLE_CHECKED_IN, Acknowledgement, CheckIn, CheckInDetailsView, CheckInPhotoContent, CheckInPhotoUpload,
    CheckInPhotoView, DeskLookup, DeskLookupView, JobCardDocument, PromisedTimeQuery, PromisedTimeSuggestion,
    VisitView, WalkAround,
)
from reception.models import Visit
from reception.models.check_in import CheckInPhoto, CheckInRecord
from reception.rules import check_in as rules
from reception.rules.visits import CHECKED_IN, DELIVERED, check_mileage, check_promised_at
from svckit.db import columns, new_id, utcnow
from svckit.errors import InvalidInput, NotFound
from svckit.schemas import load
from svckit.uploads import accepted_upload

log = logging.getLogger(__name__)

ADVISOR_ROLE = "service_advisor"


class CheckInApi:
    @rpc
    def check_in(self, payload):
        """Receive a car at the desk: a visit begins and the workshop is told to open a repair order."""
        self.auth.require_role(ADVISOR_ROLE)
        data = load(CheckIn, payload)
        self.auth.require_site(data["site_id"])
        walk_around = rules.walk_around(data["walk_around"]) if data["walk_around"] else None
        concerns = rules.visit_concerns(data["concern"], walk_around and walk_around["concerns"])
        vehicle, customer = self._find_at_desk(data)
        recorded_km = vehicle["mileage_km"] if vehicle else None
        check_mileage(data["mileage_km"], recorded_km, data["mileage_correction_reason"])
        now = utcnow()
        promised_at, promised_at_source = self._promised_at(data, now)
        if vehicle:
            self._refuse_second_open_visit(vehicle["vehicle_id"])
        # Everything is checked: only now may crm be asked to register anything.
        registered_customer = registered_vehicle = False
        if vehicle is None:
            vehicle, registered_customer = self._register_at_desk(data, customer)
            registered_vehicle = True
        visit = self.db.add(Visit(
            id=new_id(), site_id=data["site_id"], vehicle_id=vehicle["vehicle_id"],
            customer_id=vehicle["customer_id"], vin=vehicle["vin"], plate=vehicle["plate"],
            mileage_km=data["mileage_km"], concern=concerns[0], walk_around_notes=data["walk_around_notes"],
            promised_at=promised_at, checked_in_at=now, advisor=self.auth.username, status=CHECKED_IN,
            currency="CNY", delivery_notes=""))
        try:
            self.db.flush()
            record = self.db.add(CheckInRecord(
                visit_id=visit.id, mileage_correction_reason=data["mileage_correction_reason"],
                recorded_mileage_km=recorded_km, estimated_hours=data["estimated_hours"],
                promised_at_source=promised_at_source, customer_registered=registered_customer,
                vehicle_registered=registered_vehicle, concerns=concerns, damage_marks=[], belongings=[]))
            if walk_around:
                self._keep_walk_around(record, {**walk_around, "concerns": concerns}, now)
            if data["appointment_id"]:
                self.appointment_arrived(data["appointment_id"], visit)
            tracking_link = self.issue_tracking_link(visit)
            view = VisitView().dump(visit)
            self.db.emit(VEHICLE_CHECKED_IN, VEHICLE_CHECKED_IN.taken_from(view), site_id=visit.site_id)
            self.db.commit()
        except IntegrityError:  # the same vehicle checked in concurrently: the other one won
            self.db.rollback()
            self._refuse_second_open_visit(vehicle["vehicle_id"])
            raise
        log.info("visit %s: vehicle %s checked in at %s by %s (registered in crm: customer %s, vehicle %s)",
                 visit.id, visit.vehicle_id, visit.site_id, visit.advisor, registered_customer, registered_vehicle)
        return {**view, "check_in": self._details(record), "tracking_link": tracking_link}

    @rpc
    def look_up_at_desk(self, payload):
        """What crm knows of a plate, VIN or phone number, with each car's open visit: the desk's first screen."""
        data = load(DeskLookup, payload)
        self.auth.require_site(data["site_id"])
        vehicles, customers = {}, {}
        if data["plate"] or data["vin"]:
            search = {key: data[key] for key in ("plate", "vin") if data[key]}
            for vehicle in self.crm.search_vehicles(search):
                vehicles[vehicle["vehicle_id"]] = vehicle
        if data["phone"]:
            for customer in self.crm.find_customers({"site_id": data["site_id"], "phone": data["phone"]}):
                customers[customer["customer_id"]] = customer
                vehicles.update((vehicle["vehicle_id"], vehicle) for vehicle in customer["vehicles"])
        for customer_id in {vehicle["customer_id"] for vehicle in vehicles.values()} - set(customers):
            customers[customer_id] = self.crm.get_customer(customer_id)
        open_visits = {visit.vehicle_id: visit for visit in self.db.scalars(select(Visit).where(
            Visit.vehicle_id.in_(list(vehicles)), Visit.status != DELIVERED))} if vehicles else {}
        return DeskLookupView().dump({
            "vehicles": [{**vehicle, "open_visit": open_visits.get(vehicle_id)}
                         for vehicle_id, vehicle in vehicles.items()],
            "customers": list(customers.values())})

    @rpc
    def suggest_promised_time(self, payload):
        """When the car can be promised back for `hours` of work, from the workshop's free hours (rule in the
        contract PromisedTimeSuggestion)."""
        data = load(PromisedTimeQuery, payload)
        self.auth.require_site(data["site_id"])
        promised_at, days = self._suggestion(data["site_id"], data["hours"], utcnow())
        return PromisedTimeSuggestion().dump({"site_id": data["site_id"], "hours": data["hours"],
                                              "promised_at": promised_at, "days": days})

    # --- the walk-around, its photos and the customer's signature ---

    @rpc
    def get_check_in(self, visit_id):
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        return self._details(self._check_in_record(visit))

    @rpc
    def record_walk_around(self, visit_id, payload):
        """Record (or record again) the walk-around while the car is checked in."""
        self.auth.require_role(ADVISOR_ROLE)
        data = load(WalkAround, payload)
        visit = self._visit_for_update(visit_id)
        self.auth.require_site(visit.site_id)
        rules.check_walk_around_open(visit.status)
        walk_around = rules.walk_around(data)
        record = self._check_in_record(visit)
        self._keep_walk_around(record, walk_around, utcnow())
        self.db.commit()
        return self._details(record)

    @rpc
    def add_check_in_photo(self, visit_id, payload):
        """Keep a walk-around photo; its bytes must be the JPEG, PNG or WebP image it is declared as."""
        self.auth.require_role(ADVISOR_ROLE)
        upload = load(CheckInPhotoUpload, payload)
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        rules.check_walk_around_open(visit.status)
        content = accepted_upload(upload, int(self.config.get("MAX_PHOTO_BYTES", rules.DEFAULT_MAX_PHOTO_BYTES)))
        photo = self.db.add(CheckInPhoto(
            id=new_id(), visit_id=visit.id, filename=upload["filename"], content_type=upload["content_type"],
            size_bytes=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
            uploaded_by=self.auth.username, uploaded_at=utcnow()))
        self.db.commit()
        log.info("visit %s: walk-around photo %s (%s, %d bytes) by %s", visit.id, photo.id, photo.content_type,
                 photo.size_bytes, photo.uploaded_by)
        return CheckInPhotoView().dump(_without_content(photo))

    @rpc
    def get_check_in_photo(self, visit_id, photo_id):
        """The photo with its bytes (base64) and content type."""
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        photo = self.db.scalars(select(CheckInPhoto).options(undefer(CheckInPhoto.content)).where(
            CheckInPhoto.id == str(photo_id), CheckInPhoto.visit_id == visit.id)).first()
        if photo is None:
            raise NotFound(f"No photo {photo_id} of visit {visit.id}.", {"photo_id": ["Unknown photo."]})
        return CheckInPhotoContent().dump({**_without_content(photo),
                                           "content_base64": base64.b64encode(photo.content).decode()})

    @rpc
    def sign_check_in(self, visit_id, payload):
        """The customer's signature (a PNG drawn on the pad) acknowledging the walk-around."""
        self.auth.require_role(ADVISOR_ROLE)
        upload = load(CheckInPhotoUpload, payload)
        if upload["content_type"] != "image/png":
            raise InvalidInput("A signature is a PNG image.", {"content_type": ["Must be image/png."]})
        visit = self._visit_for_update(visit_id)
        self.auth.require_site(visit.site_id)
        rules.check_walk_around_open(visit.status)
        content = accepted_upload(upload, rules.MAX_SIGNATURE_BYTES)
        record = self._check_in_record(visit)
        record.signature_png, record.signature_size_bytes = content, len(content)
        record.signed_at, record.signature_recorded_by = utcnow(), self.auth.username
        self.db.commit()
        return self._details(record)

    @rpc
    def acknowledge_check_in(self, visit_id, payload):
        """The customer acknowledged the walk-around by typing their name (no signature pad at hand)."""
        self.auth.require_role(ADVISOR_ROLE)
        data = load(Acknowledgement, payload)
        visit = self._visit_for_update(visit_id)
        self.auth.require_site(visit.site_id)
        rules.check_walk_around_open(visit.status)
        now = utcnow()
        at = data["at"].astimezone(timezone.utc) if data["at"] else now
        if at > now + timedelta(minutes=5) or at < visit.checked_in_at - timedelta(minutes=5):
            raise InvalidInput("The acknowledgement must fall between the check-in and now.",
                               {"at": ["Must be between the check-in and now."]})
        record = self._check_in_record(visit)
        record.acknowledged_name, record.acknowledged_at = data["name"].strip(), at
        record.signature_recorded_by = self.auth.username
        self.db.commit()
        return self._details(record)

    @rpc
    def get_job_card(self, visit_id):
        """The printable reception form / job card (接车单/派工单) as a PDF (base64)."""
        visit = self._visit(visit_id)
        self.auth.require_site(visit.site_id)
        record = self.db.scalars(select(CheckInRecord).options(undefer(CheckInRecord.signature_png))
                                 .where(CheckInRecord.visit_id == visit.id)).one_or_none()
        vehicle = self.crm.get_vehicle(visit.vehicle_id)
        customer = self.crm.get_customer(visit.customer_id)
        details = self._details(record) if record else {"signature": {"state": rules.MISSING}}
        signature = details["signature"]
        card = {**columns(visit), **details, "visit_id": visit.id, "model": vehicle.get("model"),
                "customer_name": customer.get("name"), "signature_state": signature["state"],
                "acknowledged_name": signature.get("acknowledged_name"),
                "acknowledged_at": record.acknowledged_at if record else None,
                "signed_at": record.signed_at if record else None,
                "mileage_correction_reason": record.mileage_correction_reason if record else None}
        content = rules.job_card_pdf(card, self._zone(), record.signature_png if record else None)
        return JobCardDocument().dump({"filename": f"job-card-{visit.id}.pdf", "content_type": "application/pdf",
                                       "content_base64": base64.b64encode(content).decode()})

    # --- helpers ---

    def _find_at_desk(self, data):
        """(crm's vehicle, None), or (None, crm's customer or None) when the car must be registered."""
        if data["vehicle_id"]:
            return self.crm.get_vehicle(data["vehicle_id"]), None
        block = data["vehicle"]
        by_vin = self.crm.search_vehicles({"vin": block["vin"]}) if block["vin"] else []
        by_plate = self.crm.search_vehicles({"plate": block["plate"]}) if block["vin"] is None else []
        vehicle = rules.known_vehicle(block, by_vin, by_plate)
        if vehicle is not None:
            return vehicle, None
        rules.check_registrable(block, data["customer"])
        by_phone = self.crm.find_customers({"site_id": data["site_id"], "phone": data["customer"]["phone"]})
        return None, rules.known_customer(by_phone)

    def _register_at_desk(self, data, customer):
        """Register the car (and its owner, unless crm knows their phone) in crm; (vehicle, customer_registered)."""
        registered_customer = customer is None
        if customer is None:
            customer = self.crm.create_customer({"site_id": data["site_id"], **data["customer"]})
        block = data["vehicle"]
        vehicle = self.crm.register_vehicle({
            "site_id": data["site_id"], "customer_id": customer["customer_id"], "vin": block["vin"],
            "plate": block["plate"], "model": block["model"], "mileage_km": data["mileage_km"]})
        return vehicle, registered_customer

    def _promised_at(self, data, now):
        """The advisor's promised time when given, else the suggestion from the estimated hours."""
        if data["promised_at"] is not None:
            promised_at = data["promised_at"].astimezone(timezone.utc)
            check_promised_at(promised_at, now)
            return promised_at, rules.ADVISOR
        promised_at, _ = self._suggestion(data["site_id"], data["estimated_hours"], now)
        return promised_at, rules.SUGGESTED

    def _suggestion(self, site_id, hours, now):
        """(promised time, the days asked with their free hours); the workshop is asked one day at a time."""
        zone = self._zone()
        horizon = int(self.config.get("PROMISE_HORIZON_DAYS", rules.DEFAULT_PROMISE_HORIZON_DAYS))
        today = now.astimezone(zone).date()
        asked = []

        def capacities():
            for offset in range(horizon):
                day = today + timedelta(days=offset)
                capacity = self.workshop.get_capacity({"site_id": site_id, "date": day.isoformat()})
                asked.append({"date": day, "free_hours": Decimal(capacity["free_hours"])})
                yield day, asked[-1]["free_hours"]

        promised_at = rules.suggest_promised_time(
            hours, now, capacities(), zone,
            opening=time(int(self.config.get("RECEPTION_OPENING_HOUR", rules.DEFAULT_OPENING_HOUR))),
            closing=time(int(self.config.get("RECEPTION_CLOSING_HOUR", rules.DEFAULT_CLOSING_HOUR))))
        if promised_at is None:
            raise rules.no_promise_possible(hours, horizon)
        return promised_at, asked

    def _check_in_record(self, visit):
        record = self.db.get(CheckInRecord, visit.id)
        if record is None:  # a visit from before check-in records were kept
            record = self.db.add(CheckInRecord(visit_id=visit.id, promised_at_source=rules.ADVISOR,
                                               concerns=[visit.concern], damage_marks=[], belongings=[]))
        return record

    def _keep_walk_around(self, record, walk_around, now):
        record.damage_marks = walk_around["damage_marks"]
        record.fuel_level_percent = walk_around["fuel_level_percent"]
        record.belongings = walk_around["belongings"]
        record.concerns = walk_around["concerns"] or record.concerns
        record.walk_around_recorded_by, record.walk_around_recorded_at = self.auth.username, now

    def _details(self, record):
        photos = self.db.scalars(select(CheckInPhoto).where(CheckInPhoto.visit_id == record.visit_id)
                                 .order_by(CheckInPhoto.uploaded_at, CheckInPhoto.id)).all()
        return CheckInDetailsView().dump({
            **{column.key: getattr(record, column.key) for column in record.__table__.columns
               if column.key != "signature_png"},
            "photos": [_without_content(photo) for photo in photos],
            "signature": {"state": rules.signature_state(record.signed_at, record.acknowledged_at),
                          "signed_at": record.signed_at, "size_bytes": record.signature_size_bytes,
                          "acknowledged_name": record.acknowledged_name, "acknowledged_at": record.acknowledged_at,
                          "recorded_by": record.signature_recorded_by}})


def _without_content(photo):
    """A photo's columns but its bytes (which stay unloaded unless asked for)."""
    return {column.key: getattr(photo, column.key) for column in photo.__table__.columns if column.key != "content"}
