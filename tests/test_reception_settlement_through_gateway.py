"""Delivery and settlement through the HTTP gateway, every service running on the real broker and PostgreSQL:
a visit quoted with customer, warranty and declined lines -> quality passes -> invoice with a crm coupon, rebuilt
without it: its total is the sum of the approved customer lines to the cent -> paid in two parts -> PDF ->
delivered -> the declined line is a reminder in crm."""
import random
import string
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from svckit.testing.subscriber import wait_until


@pytest.fixture(scope="module")
def site():
    return f"S{uuid.uuid4().hex[:6].upper()}"


@pytest.fixture(scope="module")
def advisor(make_user, site):
    return make_user(f"settle-advisor-{uuid.uuid4().hex[:6]}", ["service_advisor"], [site])


def ok(answer, status=(200, 201)):
    assert answer.status_code in status, answer.text
    return answer.json()


def ready_for_delivery(admin, advisor, demo, site):
    """A car checked in, quoted, approved with one line declined, repaired and passed by quality."""
    tag = uuid.uuid4().hex[:6].upper()
    customer = ok(advisor.post("/api/v1/customers", {"site_id": site, "name": "赵先生", "phone": "139" + "".join(
        random.choice(string.digits) for _ in range(8))}))
    vehicle = ok(advisor.post("/api/v1/vehicles", {"site_id": site, "customer_id": customer["customer_id"],
                                                   "vin": demo.random_vin(), "plate": demo.random_plate(),
                                                   "model": "Passat 380TSI", "mileage_km": 61000}))
    part_number = f"BP-{tag}"
    ok(admin.post("/api/v1/parts", {"part_number": part_number, "name": "前刹车片", "cost_price": "120.00",
                                    "retail_price": "199.99"}))
    ok(admin.post("/api/v1/stock/receipts", {"site_id": site, "part_number": part_number, "quantity": "5"}))
    technician = ok(admin.post("/api/v1/staff", {"site_id": site, "name": "周师傅", "role": "technician",
                                                 "grade": "senior"}))
    visit = ok(advisor.post("/api/v1/visits", {
        "site_id": site, "vehicle_id": vehicle["vehicle_id"], "mileage_km": 61200, "concern": "刹车异响",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=6)).replace(microsecond=0).isoformat()}))
    order = wait_until(lambda: next(iter(ok(admin.get("/api/v1/repair-orders", visit_id=visit["visit_id"]))), None),
                       timeout=30, message="repair order opened")
    ro = f"/api/v1/repair-orders/{order['repair_order_id']}"
    ok(admin.post(ro + "/labour-lines", {"operation_code": "BRK-FR", "description": "更换前刹车片", "hours": "1.37"}))
    ok(admin.post(ro + "/labour-lines", {"operation_code": "ABS-CHK", "description": "ABS 传感器检查",
                                         "hours": "0.5", "pay_type": "warranty"}))
    ok(admin.post(ro + "/labour-lines", {"operation_code": "WIPER", "description": "更换雨刮片", "hours": "0.3"}))
    order = ok(admin.post(ro + "/part-lines", {"part_number": part_number, "quantity": "3"}))
    declined = next(line for line in order["labour_lines"] if line["operation_code"] == "WIPER")
    order = ok(admin.post(ro + "/approval", {"declined_line_ids": [declined["line_id"]], "channel": "in_person"}))
    ok(admin.post(ro + "/start", {"technician_id": technician["staff_id"]}))
    order = ok(admin.post(ro + "/completion"))
    inspection = wait_until(lambda: next(iter(ok(admin.get("/api/v1/inspections",
                                                           repair_order_id=order["repair_order_id"]))), None),
                            timeout=30, message="inspection opened")
    ok(admin.post(f"/api/v1/inspections/{inspection['inspection_id']}/result", {
        "items": [{"item": entry["item"], "passed": True} for entry in inspection["checklist"]], "remarks": "ok"}))
    wait_until(lambda: ok(advisor.get(f"/api/v1/visits/{visit['visit_id']}"))["status"] == "ready_for_delivery",
               timeout=30, message="ready for delivery")
    return visit, vehicle, customer, ok(admin.get(ro)), declined


def test_a_visit_is_invoiced_to_the_cent_paid_in_two_parts_delivered_and_declined_work_reminded(
        platform, admin, advisor, demo, site):
    visit, vehicle, customer, order, declined = ready_for_delivery(admin, advisor, demo, site)
    approved_customer_lines = [line for line in order["labour_lines"] + order["part_lines"] + order["sublet_lines"]
                               if line["approval"] == "approved" and line["pay_type"] == "customer"]
    expected = sum((Decimal(line["amount"]) for line in approved_customer_lines), Decimal("0.00"))
    assert expected == Decimal(order["customer_total"]) and len(approved_customer_lines) == 2

    # a coupon from crm, then the invoice rebuilt without it
    coupon = ok(advisor.post("/api/v1/coupons", {
        "site_id": site, "customer_id": customer["customer_id"], "kind": "percent_off", "value": "10",
        "applies_to": "labour", "valid_until": (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()}), (201,))
    with_coupon = ok(advisor.post(f"/api/v1/visits/{visit['visit_id']}/invoice",
                                  {"coupon_codes": [coupon["code"]]}), (201,))
    labour = Decimal(with_coupon["labour_total"])
    discount = (labour / 10).quantize(Decimal("0.01"))
    assert Decimal(with_coupon["discount_total"]) == discount
    assert Decimal(with_coupon["total"]) == expected - discount
    listed = ok(advisor.get("/api/v1/coupons", customer_id=customer["customer_id"]))
    assert [c["status"] for c in listed if c["code"] == coupon["code"]] == ["redeemed"]

    invoice = ok(advisor.post(f"/api/v1/visits/{visit['visit_id']}/invoice", {"coupon_codes": []}), (201,))
    assert (invoice["invoice_id"], invoice["number"]) == (with_coupon["invoice_id"], with_coupon["number"])
    assert Decimal(invoice["total"]) == expected  # exactly the approved customer lines, to the cent
    assert invoice["totals_by_pay_type"]["warranty"] == next(
        line["amount"] for line in order["labour_lines"] if line["pay_type"] == "warranty")
    assert Decimal(invoice["vat"]) + Decimal(invoice["net"]) == expected
    assert [c["status"] for c in ok(advisor.get("/api/v1/coupons", customer_id=customer["customer_id"]))
            if c["code"] == coupon["code"]] == ["issued"]  # released for another visit
    assert ok(advisor.get(f"/api/v1/visits/{visit['visit_id']}/invoice")) == invoice

    # paid in two parts; overpaying and delivering with a balance due are refused
    invoice_url = f"/api/v1/invoices/{invoice['invoice_id']}"
    first_part = (expected / 3).quantize(Decimal("0.01"))
    ok(advisor.post(invoice_url + "/payments", {"method": "wechat_pay", "amount": str(first_part)}), (201,))
    too_much = advisor.post(invoice_url + "/payments", {"method": "cash", "amount": str(expected)})
    assert too_much.status_code == 400 and "amount" in too_much.json()["details"]
    still_due = advisor.post(f"/api/v1/visits/{visit['visit_id']}/delivery", {})
    assert still_due.status_code == 409 and "balance_due" in still_due.json()["details"]
    paid = ok(advisor.post(invoice_url + "/payments", {"method": "alipay", "amount": str(expected - first_part),
                                                       "reference": "ALI-2026-0001"}), (201,))
    assert (paid["status"], paid["balance_due"], paid["paid_total"]) == ("paid", "0.00", str(expected))

    pdf = advisor.get(invoice_url + ".pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and invoice["number"].encode() in pdf.content
    assert str(expected).encode() in pdf.content and vehicle["plate"][1:].encode() in pdf.content

    delivered = ok(advisor.post(f"/api/v1/visits/{visit['visit_id']}/delivery", {"notes": "旧件已交还"}))
    assert (delivered["status"], delivered["total"]) == ("delivered", str(expected))
    summary = ok(advisor.get(f"/api/v1/visits/{visit['visit_id']}/delivery-summary"))
    assert [item["description"] for item in summary["declined"]] == ["更换雨刮片"]
    assert {item["description"] for item in summary["done"]} >= {"更换前刹车片", "ABS 传感器检查"}
    assert summary["promised_time_kept"] is True and summary["handed_over_at"] == delivered["delivered_at"]

    reminder = wait_until(lambda: next(iter(ok(advisor.get("/api/v1/recommendation-reminders",
                                                           vehicle_id=vehicle["vehicle_id"]))), None),
                          timeout=30, message="reminder of the declined line scheduled in crm")
    assert (reminder["visit_id"], reminder["status"]) == (visit["visit_id"], "scheduled")
    assert "更换雨刮片" in reminder["text"]
    assert datetime.fromisoformat(reminder["due_at"]) - datetime.fromisoformat(delivered["delivered_at"]) == \
        timedelta(days=30)
    assert declined["description"] == "更换雨刮片"


def test_an_unknown_invoice_and_bad_payments_are_refused_naming_the_field(advisor):
    unknown = advisor.get(f"/api/v1/invoices/{uuid.uuid4()}")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    bad = advisor.post(f"/api/v1/invoices/{uuid.uuid4()}/payments", {"method": "cash", "amount": "1.001"})
    assert bad.status_code == 400 and "amount" in bad.json()["details"]
    unknown_pdf = advisor.get(f"/api/v1/invoices/{uuid.uuid4()}.pdf")
    assert unknown_pdf.status_code == 404
