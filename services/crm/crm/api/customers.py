"""Customers and their vehicles: the customer database of every site."""
from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.crm import (
    CUSTOMER_REGISTERED, VEHICLE_REGISTERED, CustomerSearch, CustomerView, CustomerWithVehiclesView, NewCustomer,
    NewVehicle, VehicleSearch, VehicleView,
)
from contracts.reception import VEHICLE_CHECKED_IN
from crm.rules.customers import recorded_mileage
from crm.models import Customer, FollowUp, Vehicle
from svckit.db import columns
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.events import consumes
from svckit.schemas import load

CARE_ROLES = ("service_advisor", "customer_care")


class CustomerApi:
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

    @rpc
    def find_customers(self, payload):
        """The customer with this phone number at the site (a phone identifies one per site), with their vehicles."""
        data = load(CustomerSearch, payload)
        self.auth.require_site(data["site_id"])
        customer = self._customer_by_phone(data["site_id"], data["phone"])
        if customer is None:
            return []
        vehicles = self.db.scalars(select(Vehicle).where(Vehicle.customer_id == customer.id)
                                   .order_by(Vehicle.created_at)).all()
        return CustomerWithVehiclesView(many=True).dump([{**columns(customer), "vehicles": vehicles}])

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
