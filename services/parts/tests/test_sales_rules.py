"""The rules of counter sales without broker or database: prices to the cent, life cycles, invoice numbers."""
from datetime import date
from decimal import Decimal as D

import pytest

from parts.rules.sale_pricing import LineAmounts, line_discount_problem, price_line, sale_totals
from parts.rules.sale_states import (
    DELIVERY_TRANSITIONS, allowed_sale_actions, delivery_status_after, invoice_number, quote_expired,
    sale_status_after,
)
from svckit.errors import Conflict

VAT = D("0.13")


def test_a_trade_line_with_a_line_discount_to_the_cent():
    line = price_line(D("3"), D("33.33"), D("15"), D("5"), VAT)
    # 99.99 x 0.85 x 0.95 = 80.741925 -> 80.74; VAT 80.74 x 0.13 = 10.4962 -> 10.50
    assert line == LineAmounts(gross=D("99.99"), discount=D("19.25"), net=D("80.74"), vat=D("10.50"),
                               total=D("91.24"))


def test_rounding_is_half_up_not_to_even():
    line = price_line(D("2.5"), D("0.05"), D("0"), D("0"), VAT)  # 0.125
    assert (line.gross, line.net) == (D("0.13"), D("0.13"))
    assert line.vat == D("0.02")  # 0.0169


def test_the_net_amount_is_rounded_once_from_the_exact_figure_not_from_the_rounded_gross():
    line = price_line(D("2.5"), D("10.01"), D("10"), D("0"), VAT)
    # exact 25.025 x 0.9 = 22.5225 -> 22.52; rounding 25.03 first would give 22.53
    assert (line.gross, line.net, line.discount) == (D("25.03"), D("22.52"), D("2.51"))


def test_the_line_discount_applies_to_what_the_trade_discount_leaves():
    line = price_line(D("1"), D("100.00"), D("20"), D("10"), D("0"))
    assert (line.net, line.discount) == (D("72.00"), D("28.00"))


def test_sale_totals_are_the_sums_of_the_lines_so_the_invoice_adds_up():
    lines = [price_line(D("1"), D("0.05"), D("0"), D("0"), VAT) for _ in range(3)]
    totals = sale_totals(lines)
    assert totals == LineAmounts(gross=D("0.15"), discount=D("0.00"), net=D("0.15"), vat=D("0.03"), total=D("0.18"))
    assert totals.net + totals.vat == totals.total and totals.gross - totals.discount == totals.net
    assert sale_totals([]).total == D("0.00")


def test_a_percentage_outside_0_to_100_is_a_bug():
    with pytest.raises(ValueError):
        price_line(D("1"), D("1.00"), D("101"), D("0"), VAT)


def test_line_discount_limit():
    assert line_discount_problem(D("10"), D("10")) is None
    assert "At most 10%" in line_discount_problem(D("10.01"), D("10"))


@pytest.mark.parametrize("status, allowed", [
    ("quote", ["requote", "order", "cancel"]), ("ordered", ["pick", "cancel"]), ("picked", ["invoice"]),
    ("invoiced", []), ("cancelled", [])])
def test_what_each_sale_status_allows(status, allowed):
    assert allowed_sale_actions(status) == allowed


def test_the_legal_path_of_a_sale():
    status = "quote"
    for action, expected in [("requote", "quote"), ("order", "ordered"), ("pick", "picked"),
                             ("invoice", "invoiced")]:
        status = sale_status_after(status, action)
        assert status == expected


def test_an_illegal_step_is_refused_with_the_allowed_ones_listed():
    with pytest.raises(Conflict) as refused:
        sale_status_after("picked", "cancel")
    assert refused.value.details["allowed_actions"] == ["invoice"]
    assert "allowed now: invoice" in refused.value.message
    with pytest.raises(Conflict, match="allowed now: nothing"):
        sale_status_after("invoiced", "order")


def test_delivery_transitions():
    assert delivery_status_after("scheduled", "out_for_delivery") == "out_for_delivery"
    assert delivery_status_after("failed", "scheduled") == "scheduled"
    with pytest.raises(Conflict) as refused:
        delivery_status_after("scheduled", "delivered")
    assert refused.value.details["allowed_statuses"] == ["out_for_delivery", "failed"]
    assert DELIVERY_TRANSITIONS["delivered"] == []


def test_invoice_numbers_and_quote_validity():
    assert invoice_number("SH01", 2026, 123) == "SH01-2026-000123"
    assert not quote_expired(date(2026, 3, 7), date(2026, 3, 7))
    assert quote_expired(date(2026, 3, 7), date(2026, 3, 8))
