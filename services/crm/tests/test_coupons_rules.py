"""The rules of coupons without broker or database: who may use one, when, and what it takes off."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.rules.coupons import (
    CODE_ALPHABET, coupon_discount, coupon_problem, new_coupon_code, normalise_code, redeem_problem,
)
from crm.rules.reminders import reminder_due_at, reminder_text, still_open

D = Decimal
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
AMOUNTS = {"labour": D("300.00"), "parts": D("200.00"), "sublet": D("100.00")}


def coupon(**overrides):
    return SimpleNamespace(**{"site_id": "SH01", "customer_id": "c1", "valid_from": NOW - timedelta(days=1),
                              "valid_until": NOW + timedelta(days=30), "status": "issued",
                              "redeemed_invoice_id": None, **overrides})


def test_an_amount_off_never_takes_more_than_the_work_it_applies_to():
    assert coupon_discount("amount_off", D("50.00"), "labour", D("0"), AMOUNTS) == (D("50.00"), None)
    assert coupon_discount("amount_off", D("500.00"), "parts", D("0"), AMOUNTS) == (D("200.00"), None)
    assert coupon_discount("amount_off", D("50.00"), "all", D("0"), AMOUNTS) == (D("50.00"), None)


def test_a_percentage_off_is_rounded_half_up_to_the_cent_once():
    assert coupon_discount("percent_off", D("10"), "all", D("0"), AMOUNTS) == (D("60.00"), None)
    assert coupon_discount("percent_off", D("15"), "labour", D("0"), {"labour": "0.30"}) == (D("0.05"), None)
    assert coupon_discount("percent_off", D("12.5"), "parts", D("0"), {"parts": "0.20"}) == (D("0.03"), None)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.01", max_value="100", places=2),
       st.decimals(min_value="0.01", max_value="99999.99", places=2))
def test_a_percentage_off_is_whole_cents_and_at_most_the_base(percent, labour):
    discount, problem = coupon_discount("percent_off", percent, "labour", D("0"), {"labour": labour})
    assert problem is None
    assert discount == discount.quantize(D("0.01")) and D("0") <= discount <= labour


def test_the_minimum_spend_is_on_the_work_the_coupon_applies_to():
    discount, problem = coupon_discount("amount_off", D("50.00"), "parts", D("300.00"), AMOUNTS)
    assert discount == D("0.00") and "300.00" in problem
    assert coupon_discount("amount_off", D("50.00"), "all", D("300.00"), AMOUNTS)[1] is None
    assert "nothing" in coupon_discount("amount_off", D("50.00"), "labour", D("0"), {"parts": "10"})[1]


def test_a_coupon_is_for_its_site_its_customer_and_its_dates():
    assert coupon_problem(coupon(), "c1", "SH01", NOW) is None
    assert coupon_problem(coupon(customer_id=None), "anyone", "SH01", NOW) is None
    assert "another customer" in coupon_problem(coupon(), "c2", "SH01", NOW)
    assert "SH01" in coupon_problem(coupon(), "c1", "BJ02", NOW)
    assert "Expired" in coupon_problem(coupon(valid_until=NOW - timedelta(seconds=1)), "c1", "SH01", NOW)
    assert "before" in coupon_problem(coupon(valid_from=NOW + timedelta(hours=1)), "c1", "SH01", NOW)


def test_a_coupon_is_used_once_and_redeeming_again_for_the_same_invoice_is_harmless():
    used = coupon(status="redeemed", redeemed_invoice_id="inv-1")
    assert redeem_problem(coupon(), "inv-1") is None
    assert redeem_problem(used, "inv-1") is None
    assert "inv-1" in redeem_problem(used, "inv-2")


def test_codes_are_readable_and_normalised():
    code = new_coupon_code()
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET) and "O" not in code and "0" not in code
    assert normalise_code("  save50 ") == "SAVE50"


def test_reminders_are_due_days_after_delivery_and_name_the_work():
    assert reminder_due_at(NOW, 30) == NOW + timedelta(days=30)
    assert "雨刮片" in reminder_text("粤B12345", ["雨刮片", "空调滤芯"])
    assert still_open([SimpleNamespace(status="open"), SimpleNamespace(status="done")]) == [
        SimpleNamespace(status="open")]
