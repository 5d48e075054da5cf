"""The gateway: every HTTP route of the platform, each a thin call to the service that owns it."""
import eventlet
from nameko.dependency_providers import Config
from sqlalchemy import select

from contracts import crm as crm_contract, parts as parts_contract, quality as quality_contract
from contracts import reception as reception_contract, training as training_contract
from contracts import workshop as workshop_contract
from apigateway.accounts import (
    Credentials, NewUser, TokenView, UserView, hash_password, issue_token, password_matches,
)
from apigateway.http import api, json_response
from apigateway.models import Base, User
from apigateway.openapi import openapi_document
from svckit.auth import Auth, Caller
from svckit.db import Database
from svckit.errors import Conflict, ServiceError, Unauthorized
from svckit.health import health_report
from svckit.rpc import ServiceRpc
from svckit.schemas import load

SERVICES = ("reception", "workshop", "parts", "quality", "crm", "training")
HEALTH_TIMEOUT_SECONDS = 3


class GatewayService:
    name = "gateway"

    db = Database(Base.metadata, migrations="apigateway:migrations")
    auth = Auth()
    config = Config()
    reception = ServiceRpc("reception")
    workshop = ServiceRpc("workshop")
    parts = ServiceRpc("parts")
    quality = ServiceRpc("quality")
    crm = ServiceRpc("crm")
    training = ServiceRpc("training")

    # --- platform ---

    @api("GET", "/health", tag="platform", public=True, summary="Health of the gateway and every service")
    def health(self):
        checks = {name: eventlet.spawn(self._service_health, name) for name in SERVICES}
        services = {name: check.wait() for name, check in checks.items()}
        services["gateway"] = health_report(self.name, self.db)
        healthy = all(report.get("status") == "ok" for report in services.values())
        return json_response({"status": "ok" if healthy else "degraded", "services": services},
                             status=200 if healthy else 503)

    @api("GET", "/api/v1/openapi.json", tag="platform", public=True, summary="This API's OpenAPI document")
    def openapi(self):
        return openapi_document(type(self))

    # --- accounts ---

    @api("POST", "/api/v1/auth/token", tag="auth", public=True, body=Credentials, answer=TokenView,
         summary="Exchange a username and password for a bearer token")
    def issue_token(self, body):
        credentials = load(Credentials, body)
        user = self.db.scalars(select(User).where(User.username == credentials["username"])).one_or_none()
        stored = user.password_hash if user else hash_password("timing-equaliser")
        if not (password_matches(credentials["password"], stored) and user and user.active):
            raise Unauthorized("Unknown username or wrong password.")
        ttl = int(self.config.get("TOKEN_TTL_SECONDS", 8 * 3600))
        token = issue_token(_caller(user), self.config["TOKEN_SECRET"], ttl)
        return TokenView().dump({"access_token": token, "token_type": "bearer", "expires_in": ttl, "user": user})

    @api("GET", "/api/v1/auth/me", tag="auth", summary="Who the bearer token belongs to")
    def who_am_i(self):
        return {"user_id": self.auth.user_id, "username": self.auth.username,
                "roles": sorted(self.auth.roles), "sites": sorted(self.auth.sites)}

    @api("POST", "/api/v1/users", tag="auth", body=NewUser, answer=UserView, status=201,
         summary="Create a user (admin only)")
    def create_user(self, body):
        self.auth.require_role("admin")
        data = load(NewUser, body)
        if self.db.scalars(select(User).where(User.username == data["username"])).one_or_none():
            raise Conflict(f"User {data['username']} already exists.", {"username": ["Already taken."]})
        user = self.db.add(User(username=data["username"], password_hash=hash_password(data["password"]),
                                roles=sorted(set(data["roles"])), sites=sorted(set(data["sites"])), active=True))
        self.db.commit()
        return UserView().dump(user)

    @api("GET", "/api/v1/users", tag="auth", answer=UserView, many=True, summary="List users (admin only)")
    def list_users(self):
        self.auth.require_role("admin")
        return UserView(many=True).dump(self.db.scalars(select(User).order_by(User.username)))

    # --- crm ---

    @api("POST", "/api/v1/customers", tag="crm", body=crm_contract.NewCustomer, answer=crm_contract.CustomerView, status=201,
         summary="Register a customer")
    def create_customer(self, body):
        return self.crm.create_customer(body)

    @api("GET", "/api/v1/customers/<customer_id>", tag="crm", answer=crm_contract.CustomerView, summary="A customer")
    def get_customer(self, customer_id):
        return self.crm.get_customer(customer_id)

    @api("POST", "/api/v1/vehicles", tag="crm", body=crm_contract.NewVehicle, answer=crm_contract.VehicleView, status=201,
         summary="Register a customer's vehicle")
    def register_vehicle(self, body):
        return self.crm.register_vehicle(body)

    @api("GET", "/api/v1/vehicles", tag="crm", query=crm_contract.VehicleSearch, answer=crm_contract.VehicleView, many=True,
         summary="Find vehicles by plate or VIN")
    def search_vehicles(self, query):
        return self.crm.search_vehicles(query)

    @api("GET", "/api/v1/vehicles/<vehicle_id>", tag="crm", answer=crm_contract.VehicleView, summary="A vehicle")
    def get_vehicle(self, vehicle_id):
        return self.crm.get_vehicle(vehicle_id)

    @api("GET", "/api/v1/follow-ups", tag="crm", query=crm_contract.FollowUpQuery, answer=crm_contract.FollowUpView, many=True,
         summary="Follow-up calls to make")
    def list_follow_ups(self, query):
        return self.crm.list_follow_ups(query)

    # --- parts ---

    @api("POST", "/api/v1/parts", tag="parts", body=parts_contract.NewPart, answer=parts_contract.PartView, status=201,
         summary="Add a part to the catalogue")
    def create_part(self, body):
        return self.parts.create_part(body)

    @api("GET", "/api/v1/parts/<part_number>", tag="parts", answer=parts_contract.PartView, summary="A catalogue part")
    def get_part(self, part_number):
        return self.parts.get_part(part_number)

    @api("POST", "/api/v1/stock/receipts", tag="parts", body=parts_contract.StockReceipt, answer=parts_contract.StockView,
         status=201, summary="Put parts into stock at a site")
    def receive_stock(self, body):
        return self.parts.receive_stock(body)

    @api("PUT", "/api/v1/stock/policy", tag="parts", body=parts_contract.StockPolicy, answer=parts_contract.StockView,
         summary="Set a part's reorder point and quantity at a site")
    def set_stock_policy(self, body):
        return self.parts.set_stock_policy(body)

    @api("GET", "/api/v1/stock/<site_id>/<part_number>", tag="parts", answer=parts_contract.StockView,
         summary="Stock of a part at a site")
    def get_stock(self, site_id, part_number):
        return self.parts.get_stock(site_id, part_number)

    # --- reception ---

    @api("POST", "/api/v1/visits", tag="reception", body=reception_contract.CheckIn, answer=reception_contract.VisitView,
         status=201, summary="Check a vehicle in: a visit begins")
    def check_in(self, body):
        return self.reception.check_in(body)

    @api("GET", "/api/v1/visits", tag="reception", query=reception_contract.VisitQuery, answer=reception_contract.VisitView,
         many=True, summary="Visits")
    def list_visits(self, query):
        return self.reception.list_visits(query)

    @api("GET", "/api/v1/visits/<visit_id>", tag="reception", answer=reception_contract.VisitView, summary="A visit")
    def get_visit(self, visit_id):
        return self.reception.get_visit(visit_id)

    @api("POST", "/api/v1/visits/<visit_id>/delivery", tag="reception", body=reception_contract.Delivery,
         answer=reception_contract.VisitView, summary="Deliver the car to the customer")
    def deliver(self, visit_id, body):
        return self.reception.deliver(visit_id, body)

    # --- workshop ---

    @api("GET", "/api/v1/repair-orders", tag="workshop", query=workshop_contract.RepairOrderQuery,
         answer=workshop_contract.RepairOrderView, many=True, summary="Repair orders")
    def list_repair_orders(self, query):
        return self.workshop.list_repair_orders(query)

    @api("GET", "/api/v1/repair-orders/<repair_order_id>", tag="workshop", answer=workshop_contract.RepairOrderView,
         summary="A repair order with its lines, totals and history")
    def get_repair_order(self, repair_order_id):
        return self.workshop.get_repair_order(repair_order_id)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/labour-lines", tag="workshop",
         body=workshop_contract.LabourLineInput, answer=workshop_contract.RepairOrderView, status=201, summary="Quote a labour line")
    def add_labour_line(self, repair_order_id, body):
        return self.workshop.add_labour_line(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/part-lines", tag="workshop",
         body=workshop_contract.PartLineInput, answer=workshop_contract.RepairOrderView, status=201, summary="Quote a part line")
    def add_part_line(self, repair_order_id, body):
        return self.workshop.add_part_line(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/approval", tag="workshop", body=workshop_contract.Approval,
         answer=workshop_contract.RepairOrderView, summary="Record the customer's approval; approved parts are reserved")
    def approve(self, repair_order_id, body):
        return self.workshop.approve(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/start", tag="workshop", body=workshop_contract.JobStart,
         answer=workshop_contract.RepairOrderView, summary="A technician starts the job")
    def start_job(self, repair_order_id, body):
        return self.workshop.start_job(repair_order_id, body)

    @api("POST", "/api/v1/repair-orders/<repair_order_id>/completion", tag="workshop",
         answer=workshop_contract.RepairOrderView, summary="The job is done: hand over to quality")
    def complete_job(self, repair_order_id):
        return self.workshop.complete_job(repair_order_id)

    # --- quality ---

    @api("GET", "/api/v1/inspections", tag="quality", query=quality_contract.InspectionQuery, answer=quality_contract.InspectionView,
         many=True, summary="Final inspections")
    def list_inspections(self, query):
        return self.quality.list_inspections(query)

    @api("GET", "/api/v1/inspections/<inspection_id>", tag="quality", answer=quality_contract.InspectionView,
         summary="A final inspection")
    def get_inspection(self, inspection_id):
        return self.quality.get_inspection(inspection_id)

    @api("POST", "/api/v1/inspections/<inspection_id>/result", tag="quality", body=quality_contract.InspectionResult,
         answer=quality_contract.InspectionView, summary="Record the inspection's checklist: pass, or back to rework")
    def record_inspection(self, inspection_id, body):
        return self.quality.record_inspection(inspection_id, body)

    # --- training ---

    @api("POST", "/api/v1/staff", tag="training", body=training_contract.NewStaff, answer=training_contract.StaffView, status=201,
         summary="Add a staff member")
    def create_staff(self, body):
        return self.training.create_staff(body)

    @api("GET", "/api/v1/staff", tag="training", query=training_contract.StaffQuery, answer=training_contract.StaffView, many=True,
         summary="Staff")
    def list_staff(self, query):
        return self.training.list_staff(query)

    @api("GET", "/api/v1/staff/<staff_id>", tag="training", answer=training_contract.StaffView, summary="A staff member")
    def get_staff(self, staff_id):
        return self.training.get_staff(staff_id)

    @api("GET", "/api/v1/staff/<staff_id>/job-credits", tag="training", answer=training_contract.JobCreditsView,
         summary="Labour hours credited to a technician")
    def list_job_credits(self, staff_id):
        return self.training.list_job_credits(staff_id)

    # --- helpers ---

    def _service_health(self, name):
        try:
            return getattr(self, name).within(HEALTH_TIMEOUT_SECONDS).health()
        except ServiceError as exc:
            return {"service": name, "status": "unavailable", "error": exc.message}
        except Exception as exc:
            return {"service": name, "status": "failing", "error": str(exc)[:200]}


def _caller(user):
    return Caller(user_id=user.id, username=user.username, roles=frozenset(user.roles), sites=frozenset(user.sites))
