"""The rules of settlement without broker or database: invoice totals, coupons, VAT, rounding, payments."""
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reception.rules.settlement import (
    OPEN, PAID, REFUNDED, VOIDED, CustomerAmounts, approved_lines, balance_due, check_payment, check_refund,
    check_replaceable, check_settled_for_delivery, customer_amounts, declined_lines, delivery_summary, invoice_number,
    invoice_pdf, invoice_status, invoice_totals, remaining_after, vat_included,
)
from svckit.errors import Conflict, InvalidInput

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")


def labour(amount, pay_type="customer", approval="approved", hours="1.00", rate=None, description="更换刹车片"):
    return {"line_id": str(uuid.uuid4()), "operation_code": "BRK-01", "description": description, "hours": hours,
            "rate": rate or amount, "amount": amount, "approval": approval, "pay_type": pay_type}


def part(amount, pay_type="customer", approval="approved", quantity="1.00", description="刹车片"):
    return {"line_id": str(uuid.uuid4()), "part_number": "BP-100", "description": description,
            "quantity": quantity, "unit_price": amount, "amount": amount, "approval": approval, "pay_type": pay_type}


def sublet(amount, pay_type="customer", approval="approved"):
    return {"line_id": str(uuid.uuid4()), "vendor": "玻璃店", "description": "更换前挡风玻璃", "cost": "100.00",
            "price": amount, "amount": amount, "approval": approval, "pay_type": pay_type}


def repair_order(labour_lines=(), part_lines=(), sublet_lines=()):
    return {"labour_lines": list(labour_lines), "part_lines": list(part_lines), "sublet_lines": list(sublet_lines)}


def test_only_approved_lines_are_billed_and_only_customer_lines_cost_the_customer():
    order = repair_order(
        [labour("360.00"), labour("200.00", pay_type="warranty"), labour("99.00", approval="declined")],
        [part("320.00"), part("150.00", pay_type="goodwill"), part("80.00", approval="pending")],
        [sublet("500.00", pay_type="internal")])
    lines = approved_lines(order)
    assert [(line.kind, line.amount, line.pay_type) for line in lines] == [
        ("labour", D("360.00"), "customer"), ("labour", D("200.00"), "warranty"), ("part", D("320.00"), "customer"),
        ("part", D("150.00"), "goodwill"), ("sublet", D("500.00"), "internal")]
    assert [line.customer_amount for line in lines] == [D("360.00"), D("0.00"), D("320.00"), D("0.00"), D("0.00")]

    totals = invoice_totals(lines, [], "0.13")
    assert (totals.labour_total, totals.parts_total, totals.sublet_total) == (D("360.00"), D("320.00"), D("0.00"))
    assert totals.total == totals.subtotal == D("680.00")
    assert totals.by_pay_type == {"customer": D("680.00"), "warranty": D("200.00"), "internal": D("500.00"),
                                  "goodwill": D("150.00")}
    assert [line["description"] for line in declined_lines(order)] == ["更换刹车片"]


def test_vat_is_inside_the_total_and_rounded_half_up_once():
    totals = invoice_totals(approved_lines(repair_order([labour("113.00")])), [], "0.13")
    assert (totals.total, totals.vat, totals.net) == (D("113.00"), D("13.00"), D("100.00"))
    # 100.00 x 0.13 / 1.13 = 11.5044..., 0.05 x 0.13 / 1.13 = 0.005752... -> 0.01 (half-up, not truncated)
    assert vat_included(D("100.00"), "0.13") == D("11.50")
    assert vat_included(D("0.05"), "0.13") == D("0.01")
    assert vat_included(D("0.00"), "0.13") == D("0.00")
    assert vat_included(D("106.00"), "0.06") == D("6.00")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["labour", "part", "sublet"]),
                          st.decimals(min_value="0.00", max_value="99999.99", places=2),
                          st.sampled_from(["customer", "customer", "warranty", "internal", "goodwill"])),
                max_size=30),
       st.sampled_from(["0.13", "0.09", "0.06", "0"]))
def test_with_no_discount_the_total_is_exactly_the_sum_of_the_approved_customer_lines(raw_lines, rate):
    maker = {"labour": labour, "part": part, "sublet": sublet}
    order = {"labour_lines": [], "part_lines": [], "sublet_lines": []}
    for kind, amount, pay_type in raw_lines:
        order[f"{kind}_lines"].append(maker[kind](str(amount), pay_type=pay_type))
    totals = invoice_totals(approved_lines(order), [], rate)
    expected = sum((amount for _, amount, pay_type in raw_lines if pay_type == "customer"), D("0.00"))
    assert totals.total == expected
    assert totals.total == totals.labour_total + totals.parts_total + totals.sublet_total
    assert totals.vat + totals.net == totals.total
    assert totals.vat == totals.vat.quantize(D("0.01")) and totals.total == totals.total.quantize(D("0.01"))
    assert sum(totals.by_pay_type.values(), D("0")) == sum((amount for _, amount, _ in raw_lines), D("0"))


def test_discounts_come_off_the_total_and_never_exceed_the_work_they_apply_to():
    lines = approved_lines(repair_order([labour("300.00")], [part("200.00")]))
    totals = invoice_totals(lines, [("labour", D("30.00")), ("all", D("50.00"))], "0.13")
    assert (totals.subtotal, totals.discount_total, totals.total) == (D("500.00"), D("80.00"), D("420.00"))
    assert totals.vat == D("48.32")  # 420 x 0.13 / 1.13 = 48.318...
    with pytest.raises(InvalidInput) as refused:
        invoice_totals(lines, [("parts", D("200.01"))], "0.13")
    assert list(refused.value.details) == ["coupon_codes"]
    with pytest.raises(InvalidInput):  # the labour coupon took 250 of 300: only 50 labour is left for the next
        invoice_totals(lines, [("labour", D("250.00")), ("labour", D("60.00"))], "0.13")


def test_a_discount_on_everything_leaves_labour_then_parts_then_sublet():
    amounts = CustomerAmounts(D("100.00"), D("50.00"), D("20.00"))
    assert remaining_after(amounts, "all", D("120.00")) == CustomerAmounts(D("0.00"), D("30.00"), D("20.00"))
    assert remaining_after(amounts, "parts", D("50.00")) == CustomerAmounts(D("100.00"), D("0.00"), D("20.00"))
    assert customer_amounts([]) == CustomerAmounts(D("0.00"), D("0.00"), D("0.00"))


def test_payments_take_the_balance_and_overpayment_is_refused():
    assert balance_due(D("680.00"), D("300.00"), D("0.00")) == D("380.00")
    check_payment(D("380.00"), D("380.00"))
    with pytest.raises(InvalidInput) as refused:
        check_payment(D("380.01"), D("380.00"))
    assert "overpayment" in refused.value.details["amount"][0]
    with pytest.raises(Conflict):
        check_payment(D("1.00"), D("0.00"))


def test_refunds_are_at_most_what_the_payment_brought_in():
    check_refund(D("100.00"), paid=D("300.00"), already_refunded=D("200.00"))
    with pytest.raises(InvalidInput) as refused:
        check_refund(D("100.01"), paid=D("300.00"), already_refunded=D("200.00"))
    assert list(refused.value.details) == ["amount"]


def test_invoice_states():
    assert invoice_status(D("680.00"), D("0.00"), D("0.00")) == OPEN
    assert invoice_status(D("680.00"), D("680.00"), D("0.00")) == PAID
    assert invoice_status(D("0.00"), D("0.00"), D("0.00")) == PAID  # nothing to pay
    assert invoice_status(D("680.00"), D("680.00"), D("80.00")) == OPEN  # refunded before the handover: due again
    assert invoice_status(D("680.00"), D("680.00"), D("80.00"), delivered=True) == REFUNDED
    assert invoice_status(D("680.00"), D("0.00"), D("0.00"), voided=True) == VOIDED


def _invoice(total="680.00", paid="0.00", refunded="0.00"):
    return SimpleNamespace(number="SH01-JS2026-000001", total=D(total), paid_total=D(paid),
                           refunded_total=D(refunded), currency="CNY")


def test_delivery_needs_the_invoice_paid_in_full():
    with pytest.raises(Conflict) as refused:
        check_settled_for_delivery(_invoice(paid="600.00"))
    assert "80.00" in str(refused.value) and list(refused.value.details) == ["balance_due"]
    with pytest.raises(Conflict):
        check_settled_for_delivery(None)
    check_settled_for_delivery(_invoice(paid="680.00"))
    check_settled_for_delivery(_invoice(total="0.00"))


def test_an_invoice_holding_money_is_not_rebuilt_or_voided():
    with pytest.raises(Conflict):
        check_replaceable(_invoice(paid="100.00"))
    check_replaceable(_invoice(paid="100.00", refunded="100.00"))


def test_invoice_numbers_name_site_and_year_and_count_on():
    assert invoice_number("SH01", 2026, 123) == "SH01-JS2026-000123"


def test_the_delivery_summary_explains_done_and_declined_work_and_the_time():
    order = repair_order([labour("360.00"), labour("200.00", pay_type="warranty", description="更换水泵")],
                         [part("120.00", approval="declined", description="雨刮片")])
    promised = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    visit = SimpleNamespace(id="v1", plate="粤B12345", status="delivered", promised_at=promised,
                            delivered_at=promised + timedelta(minutes=30), promised_time_kept=False)
    summary = delivery_summary(visit, approved_lines(order), declined_lines(order), None, SHANGHAI)
    assert [item["description"] for item in summary["done"]] == ["更换刹车片", "更换水泵"]
    assert "厂家保修" in summary["done"][1]["explanation"]
    assert summary["declined"][0]["description"] == "雨刮片" and "提醒" in summary["declined"][0]["explanation"]
    assert summary["timing"] == "承诺交车时间 2026-05-01 17:00，实际交车时间 2026-05-01 17:30，晚于承诺时间交车，敬请谅解。"


def test_the_invoice_prints_as_a_pdf_with_its_number_and_plate():
    now = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    lines = approved_lines(repair_order([labour("360.00")], [part("320.00", pay_type="warranty")]))
    invoice = SimpleNamespace(
        number="SH01-JS2026-000007", status="paid", created_at=now, plate="粤B12345", lines=lines,
        discounts=[SimpleNamespace(code="SAVE50", description="满减", applies_to="all", amount=D("50.00"))],
        labour_total=D("360.00"), parts_total=D("0.00"), sublet_total=D("0.00"), discount_total=D("50.00"),
        net=D("274.34"), vat_rate=D("0.13"), vat=D("35.66"), total=D("310.00"), currency="CNY",
        payments=[SimpleNamespace(method="wechat_pay", amount=D("310.00"), received_at=now,
                                  refunded_amount=D("0.00"))],
        balance_due=D("0.00"))
    content = invoice_pdf(invoice, "SH01", "v1", SHANGHAI)
    assert content.startswith(b"%PDF-")
    assert b"SH01-JS2026-000007" in content and b"310.00" in content and b"wechat_pay" in content
    assert b"B12345" in content  # the plate's Latin part, searchable
