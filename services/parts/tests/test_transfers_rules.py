"""The rules of a transfer between sites, without broker or database."""
from datetime import date
from decimal import Decimal as D

import pytest

from parts.rules.transfers import (
    allowed_actions, in_transit_by_part, next_status, receipt_outcome, shipped_batches, split_over_batches,
)
from svckit.errors import Conflict, InvalidInput


@pytest.mark.parametrize("status, action, becomes", [
    ("requested", "approve", "approved"), ("requested", "cancel", "cancelled"), ("approved", "ship", "shipped"),
    ("approved", "cancel", "cancelled"), ("shipped", "receive", "received"),
])
def test_each_legal_step_leads_to_its_status(status, action, becomes):
    assert next_status(status, action) == becomes


@pytest.mark.parametrize("status, action, allowed", [
    ("requested", "ship", "approve, cancel"), ("requested", "receive", "approve, cancel"),
    ("approved", "approve", "ship, cancel"), ("shipped", "cancel", "receive"), ("shipped", "ship", "receive"),
    ("received", "receive", "nothing (the transfer is closed)"),
    ("cancelled", "approve", "nothing (the transfer is closed)"),
])
def test_an_illegal_step_is_refused_naming_the_steps_allowed(status, action, allowed):
    with pytest.raises(Conflict) as refused:
        next_status(status, action)
    assert str(refused.value) == f"A transfer that is {status} cannot {action}; allowed now: {allowed}."
    assert refused.value.details == {"status": [f"Is {status}; allowed: {allowed}."]}


def test_allowed_actions_follow_the_transitions():
    assert [allowed_actions(s) for s in ("requested", "approved", "shipped", "received", "cancelled")] == [
        ["approve", "cancel"], ["ship", "cancel"], ["receive"], [], []]


def test_a_receipt_short_on_one_line_records_the_difference_as_lost_and_the_others_arrive_in_full():
    outcome = receipt_outcome({"a": D("6"), "b": D("4")},
                              [{"line_id": "a", "received_quantity": D("5"), "discrepancy_reason": "box crushed"}])
    assert outcome == {"a": (D("5"), D("1"), "box crushed"), "b": (D("4"), D("0"), "")}


def test_a_line_that_arrived_in_full_needs_no_reason_and_nothing_at_all_may_arrive():
    outcome = receipt_outcome({"a": D("2.5"), "b": D("1")}, [
        {"line_id": "a", "received_quantity": D("2.5"), "discrepancy_reason": ""},
        {"line_id": "b", "received_quantity": D("0"), "discrepancy_reason": "never loaded"}])
    assert outcome == {"a": (D("2.5"), D("0"), ""), "b": (D("0"), D("1"), "never loaded")}


def test_a_receipt_that_does_not_match_the_shipment_is_refused_line_by_line():
    with pytest.raises(InvalidInput) as refused:
        receipt_outcome({"a": D("6"), "b": D("4")}, [
            {"line_id": "a", "received_quantity": D("5"), "discrepancy_reason": "  "},
            {"line_id": "b", "received_quantity": D("4.01"), "discrepancy_reason": ""},
            {"line_id": "x", "received_quantity": D("1"), "discrepancy_reason": ""},
            {"line_id": "b", "received_quantity": D("4"), "discrepancy_reason": ""}])
    assert refused.value.details == {"lines": {
        "0": {"discrepancy_reason": ["Required: 1 of 6 did not arrive."]},
        "1": {"received_quantity": ["At most 4: that is what was shipped."]},
        "2": {"line_id": ["Not a line of this transfer."]},
        "3": {"line_id": ["Given twice."]}}}


def test_what_arrives_fills_the_batches_in_the_order_they_were_picked():
    soon, late = date(2027, 1, 31), date(2027, 6, 30)
    batches = [("B-SOON", soon, D("2")), ("B-LATE", late, D("4"))]
    assert split_over_batches(batches, D("5")) == [("B-SOON", soon, D("2")), ("B-LATE", late, D("3"))]
    assert split_over_batches(batches, D("6")) == batches
    assert split_over_batches(batches, D("1.5")) == [("B-SOON", soon, D("1.5"))]
    assert split_over_batches(batches, D("0")) == []


def test_lots_picked_from_several_bins_are_shipped_as_one_entry_per_batch():
    soon = date(2027, 1, 31)
    picked = [("B1", soon, D("2")), ("", None, D("1")), ("B1", soon, D("3"))]
    assert shipped_batches(picked) == [("B1", soon, D("5")), ("", None, D("1"))]


def test_stock_in_transit_is_inbound_for_the_receiver_and_outbound_for_the_sender_per_part():
    lines = [("SH01", "SH02", "t1", "OIL-1", D("6"), D("43.00")),
             ("SH01", "SH02", "t2", "OIL-1", D("2"), D("44.00")),
             ("SH03", "SH01", "t3", "OIL-1", D("1.5"), D("40.00")),
             ("SH01", "SH03", "t4", "FILTER", D("3"), D("12.35")),
             ("SH02", "SH03", "t5", "OIL-1", D("9"), D("40.00"))]
    assert in_transit_by_part("SH01", lines) == [
        {"site_id": "SH01", "part_number": "FILTER", "inbound_quantity": D("0"), "inbound_value": D("0"),
         "outbound_quantity": D("3"), "outbound_value": D("37.05"), "transfer_ids": ["t4"]},
        {"site_id": "SH01", "part_number": "OIL-1", "inbound_quantity": D("1.5"), "inbound_value": D("60.00"),
         "outbound_quantity": D("8"), "outbound_value": D("346.00"), "transfer_ids": ["t1", "t2", "t3"]},
    ]
    assert [(r["part_number"], r["inbound_quantity"], r["outbound_quantity"]) for r in
            in_transit_by_part("SH02", lines)] == [("OIL-1", D("8"), D("9"))]
