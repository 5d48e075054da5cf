"""Settlement on the real broker and PostgreSQL, with stand-ins for crm (coupons) and workshop (repair orders).

Visits are written straight into reception's database as ready for delivery: check-in is another area's test.
"""
import base64
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from nameko.rpc import rpc as rpc_entrypoint
from sqlalchemy.orm import Session

from contracts.reception import INVOICE_ISSUED, PAYMENT_RECEIVED, PAYMENT_REFUNDED, VEHICLE_DELIVERED
from reception.models import Base, Visit
from reception.service import ReceptionService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SITE = "SETTLE-1"
ADVISOR = Caller(user_id="u-wang", username="wang.advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
OTHER_ADVISOR = Caller(user_id="u-li", username="li.advisor", roles=frozenset({"service_advisor"}),
                       sites=frozenset({"SETTLE-2"}))
TECHNICIAN = Caller(user_id="u-zhao", username="zhao.tech", roles=frozenset({"technician"}), sites=frozenset({SITE}))

REPAIR_ORDERS = {}
COUPONS = {"SAVE50": ("all", Decimal("50.00")), "LABOUR10": ("labour", Decimal("10.00"))}
REDEEMED = {}  # code -> invoice id
CALLS = []


class FakeCrm:
    name = "crm"

    @rpc_entrypoint
    def check_coupon(self, payload):
        CALLS.append(("check", payload["code"]))
        if payload["code"] not in COUPONS:
            raise InvalidInput(f"Coupon {payload['code']}: No such coupon.", {"code": ["No such coupon."]})
        if REDEEMED.get(payload["code"], payload["invoice_id"]) != payload["invoice_id"]:
            raise InvalidInput("used", {"code": ["Already used on another invoice."]})
        applies_to, value = COUPONS[payload["code"]]
        amounts = {key: Decimal(value) for key, value in payload["amounts"].items()}
        base = amounts["labour"] if applies_to == "labour" else sum(amounts.values())
        return {"code": payload["code"], "kind": "amount_off", "value": str(value), "applies_to": applies_to,
                "description": "满减", "discount": str(min(value, base))}

    @rpc_entrypoint
    def redeem_coupon(self, payload):
        CALLS.append(("redeem", payload["code"]))
        if REDEEMED.setdefault(payload["code"], payload["invoice_id"]) != payload["invoice_id"]:
            raise Conflict("used", {"code": ["Already used."]})
        return {"code": payload["code"], "status": "redeemed"}

    @rpc_entrypoint
    def release_coupon(self, payload):
        CALLS.append(("release", payload["code"]))
        if REDEEMED.get(payload["code"]) == payload["invoice_id"]:
            del REDEEMED[payload["code"]]
        return {"code": payload["code"]}


class FakeWorkshop:
    name = "workshop"

    @rpc_entrypoint
    def get_repair_order(self, repair_order_id):
        return REPAIR_ORDERS[repair_order_id]


@pytest.fixture
def reception(container_factory, service_config, broker):
    for fake in (FakeCrm, FakeWorkshop):
        container_factory(fake, {"AMQP_URI": broker.uri}).start()
    container = container_factory(ReceptionService, service_config("reception"))
    container.start()
    return container


@pytest.fixture
def advisor(reception, rpc):
    return rpc(caller=ADVISOR).reception


def line(kind, amount, pay_type="customer", approval="approved", description=None):
    common = {"line_id": str(uuid.uuid4()), "amount": amount, "approval": approval, "pay_type": pay_type}
    if kind == "labour":
        return {**common, "operation_code": "BRK-01", "description": description or "更换前刹车片", "hours": "1.00",
                "rate": amount}
    if kind == "part":
        return {**common, "part_number": "BP-100", "description": description or "前刹车片", "quantity": "1.00",
                "unit_price": amount}
    return {**common, "vendor": "玻璃店", "description": description or "更换挡风玻璃", "cost": "100.00", "price": amount}


def ready_visit(reception, labour=(), parts=(), sublet=(), promised_in_hours=4):
    """A visit quality has passed, with a repair order of these lines at the fake workshop."""
    repair_order_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    REPAIR_ORDERS[repair_order_id] = {"repair_order_id": repair_order_id, "labour_lines": list(labour),
                                      "part_lines": list(parts), "sublet_lines": list(sublet)}
    engine = create_engine_for(reception.config["DATABASE_URL"])
    try:
        with Session(engine) as session:
            visit = Visit(id=str(uuid.uuid4()), site_id=SITE, customer_id=str(uuid.uuid4()),
                          vehicle_id=str(uuid.uuid4()), vin="LSVAM4187C2184847", plate="粤B12345", mileage_km=52000,
                          concern="刹车异响", promised_at=now + timedelta(hours=promised_in_hours),
                          checked_in_at=now - timedelta(hours=3), advisor="wang.advisor", status="ready_for_delivery",
                          repair_order_id=repair_order_id, ready_at=now, currency="CNY", walk_around_notes="",
                          delivery_notes="")
            session.add(visit)
            session.commit()
            return visit.id
    finally:
        engine.dispose()


def test_migrations_build_the_settlement_tables_the_models_describe(databases):
    ours = {"invoices", "invoice_lines", "invoice_discounts", "invoice_payments", "invoice_refunds",
            "invoice_counters"}

    def table_of(difference):
        """The table an Alembic difference is about: ("add_table", Table), ("add_index", Index), or a list of
        ("modify_...", schema, table name, column name, ...)."""
        for item in (difference if isinstance(difference, list) else [difference]):
            for part in item:
                table = getattr(part, "table", None)
                name = part if isinstance(part, str) else getattr(table, "name", None) or getattr(part, "name", None)
                if name in ours:
                    return name
        return None

    found = differences("reception:migrations", Base.metadata, databases.fresh_url("reception_settlement_schema"))
    assert [d for d in found if table_of(d) in ours] == []


def test_the_invoice_bills_approved_lines_and_warranty_lines_cost_the_customer_nothing(advisor, reception, subscribe):
    events = subscribe(("reception.events", INVOICE_ISSUED.event_type))
    visit_id = ready_visit(reception,
                           labour=[line("labour", "360.00"), line("labour", "200.00", pay_type="warranty"),
                                   line("labour", "99.00", approval="declined")],
                           parts=[line("part", "320.55"), line("part", "150.00", pay_type="goodwill")],
                           sublet=[line("sublet", "500.00", pay_type="internal")])
    invoice = advisor.create_invoice(visit_id, {})

    assert invoice["status"] == "open" and invoice["number"].startswith(f"{SITE}-JS")
    assert [(x["kind"], x["amount"], x["pay_type"], x["customer_amount"]) for x in invoice["lines"]] == [
        ("labour", "360.00", "customer", "360.00"), ("labour", "200.00", "warranty", "0.00"),
        ("part", "320.55", "customer", "320.55"), ("part", "150.00", "goodwill", "0.00"),
        ("sublet", "500.00", "internal", "0.00")]
    assert (invoice["labour_total"], invoice["parts_total"], invoice["sublet_total"]) == ("360.00", "320.55", "0.00")
    assert invoice["total"] == invoice["subtotal"] == invoice["balance_due"] == "680.55"  # 360.00 + 320.55 exactly
    assert invoice["totals_by_pay_type"] == {"customer": "680.55", "warranty": "200.00", "internal": "500.00",
                                             "goodwill": "150.00"}
    assert (invoice["vat_rate"], invoice["vat"], invoice["net"]) == ("0.1300", "78.29", "602.26")
    assert advisor.get_visit_invoice(visit_id) == invoice == advisor.get_invoice(invoice["invoice_id"])
    issued = events.wait_for("invoice_issued", lambda e: e["payload"]["invoice_id"] == invoice["invoice_id"])
    assert issued["payload"]["total"] == "680.55" and issued["site_id"] == SITE


def test_a_coupon_is_applied_once_and_redeeming_it_again_on_a_rebuilt_invoice_is_harmless(advisor, reception):
    visit_id = ready_visit(reception, labour=[line("labour", "300.00")], parts=[line("part", "200.00")])
    first = advisor.create_invoice(visit_id, {"coupon_codes": ["save50", "LABOUR10"]})
    assert [(d["code"], d["amount"], d["applies_to"]) for d in first["discounts"]] == [
        ("SAVE50", "50.00", "all"), ("LABOUR10", "10.00", "labour")]
    assert (first["subtotal"], first["discount_total"], first["total"]) == ("500.00", "60.00", "440.00")
    assert REDEEMED["SAVE50"] == first["invoice_id"]

    again = advisor.create_invoice(visit_id, {"coupon_codes": ["SAVE50", "LABOUR10"]})  # rebuilt: same coupons
    assert (again["invoice_id"], again["number"], again["total"]) == (first["invoice_id"], first["number"], "440.00")
    assert len(again["discounts"]) == 2

    without = advisor.create_invoice(visit_id, {"coupon_codes": ["LABOUR10"]})
    assert (without["number"], without["total"]) == (first["number"], "490.00")
    assert "SAVE50" not in REDEEMED and REDEEMED["LABOUR10"] == first["invoice_id"]

    other_visit = ready_visit(reception, labour=[line("labour", "300.00")])
    with pytest.raises(InvalidInput) as refused:  # LABOUR10 is held by the first invoice
        advisor.create_invoice(other_visit, {"coupon_codes": ["LABOUR10"]})
    assert list(refused.value.details) == ["coupon_codes"]
    with pytest.raises(InvalidInput) as refused:
        advisor.create_invoice(other_visit, {"coupon_codes": ["NOPE", "nope"]})
    assert "twice" in refused.value.details["coupon_codes"][0]
    with pytest.raises(InvalidInput) as refused:
        advisor.create_invoice(other_visit, {"coupon_codes": ["NOPE"]})
    assert "No such coupon" in refused.value.details["coupon_codes"][0]
    with pytest.raises(NotFound):  # nothing was made for the refused requests
        advisor.get_visit_invoice(other_visit)


def test_partial_payments_then_delivery_with_the_invoice_totals(advisor, reception, subscribe):
    events = subscribe(("reception.events", VEHICLE_DELIVERED.event_type),
                       ("reception.events", PAYMENT_RECEIVED.event_type))
    visit_id = ready_visit(reception, labour=[line("labour", "360.00"), line("labour", "80.00", pay_type="warranty")],
                           parts=[line("part", "320.00")])
    invoice = advisor.create_invoice(visit_id, {})

    with pytest.raises(Conflict) as refused:
        advisor.deliver(visit_id, {})
    assert "680.00" in str(refused.value)

    part_paid = advisor.record_payment(invoice["invoice_id"], {"method": "wechat_pay", "amount": "400.00",
                                                               "reference": "WX123"})
    assert (part_paid["status"], part_paid["paid_total"], part_paid["balance_due"]) == ("open", "400.00", "280.00")
    with pytest.raises(InvalidInput) as refused:
        advisor.record_payment(invoice["invoice_id"], {"method": "cash", "amount": "280.01"})
    assert list(refused.value.details) == ["amount"]
    with pytest.raises(Conflict):  # still 280.00 due
        advisor.deliver(visit_id, {})
    with pytest.raises(InvalidInput) as refused:
        advisor.record_payment(invoice["invoice_id"], {"method": "cheque", "amount": "280.00"})
    assert list(refused.value.details) == ["method"]

    paid = advisor.record_payment(invoice["invoice_id"], {"method": "bank_card", "amount": "280.00"})
    assert (paid["status"], paid["balance_due"]) == ("paid", "0.00")
    assert [(p["method"], p["amount"]) for p in paid["payments"]] == [("wechat_pay", "400.00"), ("bank_card", "280.00")]

    delivered = advisor.deliver(visit_id, {"notes": "旧件已交还"})
    assert (delivered["status"], delivered["labour_total"], delivered["parts_total"], delivered["total"]) == (
        "delivered", "360.00", "320.00", "680.00")
    announced = events.wait_for("vehicle_delivered", lambda e: e["payload"]["visit_id"] == visit_id)
    assert announced["version"] == 2
    assert {key: announced["payload"][key] for key in ("total", "invoice_id", "invoice_number", "vat")} == {
        "total": "680.00", "invoice_id": invoice["invoice_id"], "invoice_number": invoice["number"], "vat": "78.23"}
    received = [e for e in events.events("payment_received") if e["payload"]["invoice_id"] == invoice["invoice_id"]]
    assert [e["payload"]["amount"] for e in received] == ["400.00", "280.00"]
    with pytest.raises(Conflict):  # a delivered visit's invoice is not rebuilt
        advisor.create_invoice(visit_id, {})


def test_refunds_reopen_before_the_handover_and_mark_the_invoice_refunded_after(advisor, reception, subscribe):
    events = subscribe(("reception.events", PAYMENT_REFUNDED.event_type))
    visit_id = ready_visit(reception, labour=[line("labour", "500.00")])
    invoice = advisor.create_invoice(visit_id, {})
    paid = advisor.record_payment(invoice["invoice_id"], {"method": "alipay", "amount": "500.00"})
    payment_id = paid["payments"][0]["payment_id"]

    with pytest.raises(InvalidInput) as refused:
        advisor.refund_payment(invoice["invoice_id"], payment_id, {"amount": "500.01", "reason": "多收"})
    assert list(refused.value.details) == ["amount"]
    reopened = advisor.refund_payment(invoice["invoice_id"], payment_id, {"amount": "100.00", "reason": "重复收款"})
    assert (reopened["status"], reopened["refunded_total"], reopened["balance_due"]) == ("open", "100.00", "100.00")
    with pytest.raises(Conflict):
        advisor.deliver(visit_id, {})
    advisor.record_payment(invoice["invoice_id"], {"method": "cash", "amount": "100.00"})
    advisor.deliver(visit_id, {})

    after = advisor.refund_payment(invoice["invoice_id"], payment_id, {"amount": "50.00", "reason": "客户投诉补偿"})
    assert (after["status"], after["refunded_total"]) == ("refunded", "150.00")
    assert after["payments"][0]["refunds"][1]["reason"] == "客户投诉补偿"
    with pytest.raises(InvalidInput):  # 500 paid, 150 back already: at most 350 more
        advisor.refund_payment(invoice["invoice_id"], payment_id, {"amount": "350.01", "reason": "too much"})
    refunded = events.wait_for("payment_refunded", lambda e: e["payload"]["status"] == "refunded")
    assert (refunded["payload"]["amount"], refunded["payload"]["reason"]) == ("50.00", "客户投诉补偿")


def test_a_visit_the_customer_pays_nothing_for_is_delivered_without_asking(advisor, reception):
    visit_id = ready_visit(reception, labour=[line("labour", "800.00", pay_type="warranty")],
                           parts=[line("part", "99.00", approval="declined")])
    delivered = advisor.deliver(visit_id, {})
    assert (delivered["status"], delivered["total"]) == ("delivered", "0.00")
    invoice = advisor.get_visit_invoice(visit_id)
    assert (invoice["status"], invoice["total"], invoice["totals_by_pay_type"]["warranty"]) == ("paid", "0.00", "800.00")


def test_invoice_numbers_run_on_without_gaps_and_a_voided_invoice_keeps_its_number(advisor, reception):
    first_visit = ready_visit(reception, labour=[line("labour", "100.00")])
    second_visit = ready_visit(reception, labour=[line("labour", "100.00")])
    first = advisor.create_invoice(first_visit, {"coupon_codes": ["SAVE50"]})
    voided = advisor.void_invoice(first["invoice_id"], {"reason": "开错了"})
    assert voided["status"] == "voided" and "SAVE50" not in REDEEMED
    with pytest.raises(Conflict):
        advisor.record_payment(first["invoice_id"], {"method": "cash", "amount": "1.00"})
    remade = advisor.create_invoice(first_visit, {})
    second = advisor.create_invoice(second_visit, {})
    sequence = [int(invoice["number"].rsplit("-", 1)[1]) for invoice in (first, remade, second)]
    assert sequence == [sequence[0], sequence[0] + 1, sequence[0] + 2]
    assert remade["invoice_id"] != first["invoice_id"]

    advisor.record_payment(remade["invoice_id"], {"method": "cash", "amount": "10.00"})
    with pytest.raises(Conflict):  # money on it: refund first
        advisor.void_invoice(remade["invoice_id"], {"reason": "开错了"})


def test_the_invoice_prints_as_a_pdf(advisor, reception):
    visit_id = ready_visit(reception, labour=[line("labour", "360.00")], parts=[line("part", "320.00")])
    invoice = advisor.create_invoice(visit_id, {})
    advisor.record_payment(invoice["invoice_id"], {"method": "cash", "amount": "300.00"})
    document = advisor.invoice_pdf(invoice["invoice_id"])
    content = base64.b64decode(document["content_base64"])
    assert document["content_type"] == "application/pdf" and content.startswith(b"%PDF-")
    assert invoice["number"].encode() in content and b"680.00" in content and b"380.00" in content


def test_the_delivery_summary_explains_done_and_declined_work(advisor, reception):
    visit_id = ready_visit(reception, labour=[line("labour", "360.00"), line("labour", "120.00", approval="declined",
                                                                            description="四轮定位")])
    before = advisor.delivery_summary(visit_id)
    assert [item["description"] for item in before["done"]] == ["更换前刹车片"]
    assert [item["description"] for item in before["declined"]] == ["四轮定位"]
    assert before["handed_over_at"] is None and "尚未交车" in before["timing"]
    invoice = advisor.create_invoice(visit_id, {})
    advisor.record_payment(invoice["invoice_id"], {"method": "cash", "amount": "360.00"})
    advisor.deliver(visit_id, {})
    after = advisor.delivery_summary(visit_id)
    assert after["promised_time_kept"] is True and "按时交车" in after["timing"]
    assert after["invoice_number"] == invoice["number"] and after["total"] == "360.00"
    assert any("四轮定位" in sentence and "提醒" in sentence for sentence in after["sentences"])


def test_only_advisors_of_the_site_settle(advisor, reception, rpc):
    visit_id = ready_visit(reception, labour=[line("labour", "100.00")])
    with pytest.raises(Forbidden):
        rpc(caller=TECHNICIAN).reception.create_invoice(visit_id, {})
    invoice = advisor.create_invoice(visit_id, {})
    elsewhere = rpc(caller=OTHER_ADVISOR).reception
    for call in (lambda: elsewhere.get_invoice(invoice["invoice_id"]),
                 lambda: elsewhere.record_payment(invoice["invoice_id"], {"method": "cash", "amount": "1.00"}),
                 lambda: elsewhere.invoice_pdf(invoice["invoice_id"])):
        with pytest.raises(Forbidden):
            call()
    assert advisor.get_invoice(invoice["invoice_id"])["paid_total"] == "0.00"
    with pytest.raises(NotFound):
        advisor.get_invoice(str(uuid.uuid4()))
