"""Quoting on the real broker and PostgreSQL, with the real parts service: the operation catalogue, canned jobs,
labour, part and sublet lines with their pay types, and the customer's answer with declined work published."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from nameko.rpc import rpc as rpc_entrypoint

from contracts.reception import VEHICLE_CHECKED_IN
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput
from svckit.testing.subscriber import wait_until
from workshop.service import WorkshopService

SITE = "SITE-Q"
TECHNICIAN = Caller("u-tech", "tech1", frozenset({"technician"}), frozenset({SITE}))


class FakeTraining:
    name = "training"

    @rpc_entrypoint
    def get_staff(self, staff_id):
        return {"staff_id": staff_id, "role": "technician", "site_id": SITE, "active": True, "name": "Wang",
                "grade": "senior"}


@pytest.fixture
def services(container_factory, service_config):
    for service in (WorkshopService, PartsService, FakeTraining):
        container_factory(service, service_config(service.name)).start()


@pytest.fixture
def workshop(services, rpc):
    return rpc().workshop


@pytest.fixture
def parts(services, rpc):
    return rpc().parts


def make_part(parts, price="35.00", quantity="5"):
    number = f"F-{uuid.uuid4().hex[:6].upper()}"
    parts.create_part({"part_number": number, "name": "机油滤清器", "cost_price": "20.00", "retail_price": price})
    parts.receive_stock({"site_id": SITE, "part_number": number, "quantity": quantity})
    return number


def opened_order(workshop, publish_event):
    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪A12345", "mileage_km": 42000, "concern": "Oil service due",
        "walk_around_notes": "", "promised_at": (datetime.now(timezone.utc) + timedelta(hours=4)).isoformat(),
        "checked_in_at": datetime.now(timezone.utc).isoformat(), "advisor": "advisor1"}, site_id=SITE)
    return wait_until(lambda: next(iter(workshop.list_repair_orders({"visit_id": visit_id})), None),
                      message="repair order opened")


def catalogue(workshop):
    workshop.create_operation({"code": "OIL-CHG", "description": "更换机油", "standard_hours": "0.5"})
    workshop.create_operation({"code": "OIL-CHG", "description": "更换机油 (ID.4 减速器油)", "standard_hours": "0.8",
                               "model": "ID.4"})
    workshop.create_operation({"code": "HV-BAT", "description": "高压电池检测", "standard_hours": "2.0",
                               "skill_code": "HV_EV"})


def test_a_labour_line_from_the_catalogue_takes_its_hours_and_skill_model_specific_first(workshop, publish_event):
    catalogue(workshop)
    ro_id = opened_order(workshop, publish_event)["repair_order_id"]
    workshop.add_labour_line(ro_id, {"operation_code": "HV-BAT", "pay_type": "warranty"})
    workshop.add_labour_line(ro_id, {"operation_code": "OIL-CHG", "model": "ID.4"})
    order = workshop.add_labour_line(ro_id, {"operation_code": "OIL-CHG", "rate": "200.00"})
    lines = [(line["operation_code"], line["description"], line["hours"], line["skill_code"], line["pay_type"],
              line["amount"]) for line in order["labour_lines"]]
    assert lines == [
        ("HV-BAT", "高压电池检测", "2.00", "HV_EV", "warranty", "600.00"),
        ("OIL-CHG", "更换机油 (ID.4 减速器油)", "0.80", None, "customer", "240.00"),
        ("OIL-CHG", "更换机油", "0.50", None, "customer", "100.00"),
    ]


def test_an_unknown_operation_without_hours_is_refused_naming_operation_code(workshop, publish_event):
    catalogue(workshop)
    ro_id = opened_order(workshop, publish_event)["repair_order_id"]
    with pytest.raises(InvalidInput) as refused:
        workshop.add_labour_line(ro_id, {"operation_code": "WELD-EXH", "description": "Weld the exhaust"})
    assert list(refused.value.details) == ["operation_code"]
    assert workshop.get_repair_order(ro_id)["labour_lines"] == []
    ad_hoc = workshop.add_labour_line(ro_id, {"operation_code": "WELD-EXH", "description": "Weld the exhaust",
                                              "hours": "1.0"})
    assert (ad_hoc["labour_lines"][0]["hours"], ad_hoc["labour_lines"][0]["skill_code"]) == ("1.00", None)


def test_the_catalogue_is_maintained_and_searched_and_only_by_foreman_or_site_manager(workshop, rpc):
    catalogue(workshop)
    with pytest.raises(Conflict) as duplicate:
        workshop.create_operation({"code": "OIL-CHG", "description": "again", "standard_hours": "1.0"})
    assert "code" in duplicate.value.details
    with pytest.raises(Forbidden):
        rpc(caller=TECHNICIAN).workshop.create_operation({"code": "X-1", "description": "x", "standard_hours": "1"})
    with pytest.raises(InvalidInput) as bad:
        workshop.create_operation({"code": "hv bat", "description": "", "standard_hours": "0", "skill_code": "hv"})
    assert set(bad.value.details) == {"code", "description", "standard_hours", "skill_code"}

    generic = next(op for op in workshop.list_operations({"code_prefix": "OIL"}) if op["model"] is None)
    changed = workshop.update_operation(generic["operation_id"], {"standard_hours": "0.6", "skill_code": "GENERAL"})
    assert (changed["standard_hours"], changed["skill_code"]) == ("0.60", "GENERAL")
    with pytest.raises(InvalidInput):
        workshop.update_operation(generic["operation_id"], {})

    assert [(op["code"], op["model"]) for op in workshop.list_operations({"model": "ID.4"})] == [
        ("HV-BAT", None), ("OIL-CHG", None), ("OIL-CHG", "ID.4")]
    assert [op["code"] for op in workshop.list_operations({"text": "电池"})] == ["HV-BAT"]
    assert [op["model"] for op in workshop.list_operations({"model": "Camry", "code_prefix": "oil"})] == [None]

    workshop.update_operation(generic["operation_id"], {"active": False})
    assert [op["model"] for op in workshop.list_operations({"code_prefix": "OIL"})] == ["ID.4"]
    assert len(workshop.list_operations({"code_prefix": "OIL", "include_inactive": True})) == 2


def test_a_canned_job_adds_all_its_lines_priced_by_parts(workshop, parts, publish_event):
    catalogue(workshop)
    filter_number, oil_number = make_part(parts, price="35.00"), make_part(parts, price="62.50")
    job = workshop.create_canned_job({
        "code": "S40K-ID4", "name": "40,000 km 保养 (ID.4)", "model": "ID.4",
        "operations": [{"operation_code": "OIL-CHG"}, {"operation_code": "HV-BAT", "hours": "1.5"}],
        "parts": [{"part_number": filter_number, "quantity": "1"}, {"part_number": oil_number, "quantity": "4.5"}]})
    assert [(op["operation_code"], op["hours"]) for op in job["operations"]] == [("OIL-CHG", None), ("HV-BAT", "1.50")]
    assert workshop.get_canned_job("S40K-ID4")["name"] == "40,000 km 保养 (ID.4)"
    assert [j["code"] for j in workshop.list_canned_jobs({"model": "ID.4"})] == ["S40K-ID4"]
    assert workshop.list_canned_jobs({"model": "Camry"}) == []

    ro_id = opened_order(workshop, publish_event)["repair_order_id"]
    order = workshop.add_canned_job(ro_id, {"canned_job_code": "S40K-ID4"})
    assert [(line["operation_code"], line["hours"], line["skill_code"], line["pay_type"])
            for line in order["labour_lines"]] == [
        ("OIL-CHG", "0.80", None, "customer"), ("HV-BAT", "1.50", "HV_EV", "customer")]
    assert [(line["part_number"], line["quantity"], line["unit_price"], line["amount"])
            for line in order["part_lines"]] == [
        (filter_number, "1.00", "35.00", "35.00"), (oil_number, "4.50", "62.50", "281.25")]
    approved = workshop.approve(ro_id, {})
    assert approved["customer_total"] == "1006.25"  # 0.8 h + 1.5 h at 300.00 = 690.00, parts 316.25


def test_a_canned_job_with_unknown_operations_or_parts_is_refused_naming_them(workshop, publish_event):
    catalogue(workshop)
    with pytest.raises(InvalidInput) as refused:
        workshop.create_canned_job({"code": "S10K", "name": "10,000 km",
                                    "operations": [{"operation_code": "OIL-CHG"}, {"operation_code": "NOPE"}],
                                    "parts": [{"part_number": "NO-SUCH-PART", "quantity": "1"}]})
    assert set(refused.value.details) == {"operations.1.operation_code", "parts.0.part_number"}
    with pytest.raises(InvalidInput) as empty:
        workshop.create_canned_job({"code": "S10K", "name": "10,000 km"})
    assert "operations" in empty.value.details
    assert workshop.list_canned_jobs({}) == []


def test_a_sublet_line_is_approved_and_in_the_totals_by_pay_type(workshop, parts, publish_event):
    catalogue(workshop)
    ro_id = opened_order(workshop, publish_event)["repair_order_id"]
    workshop.add_labour_line(ro_id, {"operation_code": "HV-BAT", "pay_type": "warranty"})
    workshop.add_part_line(ro_id, {"part_number": make_part(parts), "quantity": "2", "pay_type": "goodwill"})
    order = workshop.add_sublet_line(ro_id, {"vendor": "福耀玻璃", "description": "更换前挡风玻璃", "cost": "900.00",
                                             "price": "1200.00"})
    sublet = order["sublet_lines"][0]
    assert (sublet["vendor"], sublet["amount"], sublet["approval"], sublet["pay_type"]) == (
        "福耀玻璃", "1200.00", "pending", "customer")
    with pytest.raises(InvalidInput) as refused:
        workshop.add_sublet_line(ro_id, {"vendor": "", "description": "x", "cost": "-1", "price": "1.001",
                                         "pay_type": "insurer"})
    assert set(refused.value.details) == {"vendor", "cost", "price", "pay_type"}

    approved = workshop.approve(ro_id, {})
    assert approved["sublet_lines"][0]["approval"] == "approved"
    assert approved["totals_by_pay_type"] == {"customer": "1200.00", "warranty": "600.00", "internal": "0.00",
                                              "goodwill": "70.00"}
    assert (approved["customer_total"], approved["sublet_total"], approved["total"]) == (
        "1200.00", "1200.00", "1870.00")


def test_a_declined_line_is_kept_as_a_recommendation_and_published(workshop, parts, publish_event, subscribe):
    events = subscribe(("workshop.events", "work_declined"), ("workshop.events", "repair_order_approved"))
    catalogue(workshop)
    opened = opened_order(workshop, publish_event)
    ro_id = opened["repair_order_id"]
    workshop.add_labour_line(ro_id, {"operation_code": "OIL-CHG"})
    workshop.add_part_line(ro_id, {"part_number": make_part(parts), "quantity": "1"})
    order = workshop.add_sublet_line(ro_id, {"vendor": "Trim shop", "description": "Seat cover", "cost": "100.00",
                                             "price": "150.00"})
    sublet_id, part = order["sublet_lines"][0]["line_id"], order["part_lines"][0]

    answered = workshop.approve(ro_id, {"declined_line_ids": [sublet_id, part["line_id"]], "channel": "phone"})
    assert answered["status"] == "approved"
    assert [line["approval"] for line in answered["sublet_lines"] + answered["part_lines"]] == ["declined", "declined"]
    assert answered["part_lines"][0]["reservation_id"] is None  # a declined part is not reserved
    assert (answered["customer_total"], answered["total"]) == ("150.00", "150.00")

    declined = events.wait_for("work_declined", lambda e: e["payload"]["repair_order_id"] == ro_id)
    payload = declined["payload"]
    assert (payload["vehicle_id"], payload["customer_id"], payload["visit_id"], payload["mileage_km"]) == (
        opened["vehicle_id"], opened["customer_id"], opened["visit_id"], 42000)
    assert sorted((line["kind"], line["code"], line["description"], line["amount"], line["pay_type"])
                  for line in payload["lines"]) == [
        ("part", part["part_number"], "机油滤清器", "35.00", "customer"),
        ("sublet", None, "Seat cover", "150.00", "customer")]
    approved_event = events.wait_for("repair_order_approved", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert sorted(approved_event["payload"]["declined_line_ids"]) == sorted([sublet_id, part["line_id"]])
    with pytest.raises(Conflict):
        workshop.approve(ro_id, {})


def test_an_approval_declining_nothing_publishes_no_declined_work(workshop, publish_event, subscribe):
    events = subscribe(("workshop.events", "work_declined"), ("workshop.events", "repair_order_approved"))
    catalogue(workshop)
    ro_id = opened_order(workshop, publish_event)["repair_order_id"]
    workshop.add_labour_line(ro_id, {"operation_code": "OIL-CHG"})
    workshop.approve(ro_id, {})
    events.wait_for("repair_order_approved", lambda e: e["payload"]["repair_order_id"] == ro_id)
    assert events.events("work_declined") == []
