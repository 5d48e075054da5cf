"""The tracking link's rules, without broker or database: the token, its lifetime, the customer's view and answer."""
import hashlib
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reception.rules import tracking as rules
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.logs import mask_personal_data

DELIVERED_AT = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)


def test_a_token_is_256_random_bits_in_43_url_safe_characters_and_never_repeats():
    tokens = {rules.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) == 43 and rules.looks_like_token(token) for token in tokens)


def test_only_the_sha256_of_a_token_is_kept_and_it_does_not_contain_the_token():
    token = rules.new_token()
    digest = rules.token_digest(token)
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert len(digest) == 64 and token not in digest
    assert rules.token_digest(token) == digest  # the same token finds the same row
    assert rules.token_digest(rules.new_token()) != digest


@pytest.mark.parametrize("junk", ["", "abc", "x" * 42, "x" * 44, "a" * 42 + "/", "../" + "a" * 40, None, 123])
def test_anything_not_shaped_like_a_token_is_refused_before_a_lookup(junk):
    assert not rules.looks_like_token(junk)


def test_the_url_is_the_configured_base_followed_by_the_token():
    assert rules.tracking_url("https://dealer.cn/track/", "T0K") == "https://dealer.cn/track/T0K"
    assert rules.tracking_url("https://dealer.cn/track", "T0K") == "https://dealer.cn/track/T0K"
    assert rules.tracking_url("https://dealer.cn/t?token=", "T0K") == "https://dealer.cn/t?token=T0K"
    assert rules.tracking_url(None, "T0K") == "http://127.0.0.1:8000/track/T0K"


@pytest.mark.parametrize("status", ["checked_in", "ready_for_delivery"])
def test_a_link_of_an_open_visit_has_no_end_yet(status):
    assert rules.link_expires_at(status, None, 7) is None
    assert rules.link_is_valid(status, None, 7, datetime.now(timezone.utc) + timedelta(days=365))


def test_a_link_ends_the_configured_days_after_delivery():
    assert rules.link_expires_at("delivered", DELIVERED_AT, 7) == DELIVERED_AT + timedelta(days=7)
    assert rules.link_expires_at("delivered", DELIVERED_AT, "3") == DELIVERED_AT + timedelta(days=3)
    assert rules.link_is_valid("delivered", DELIVERED_AT, 7, DELIVERED_AT + timedelta(days=6, hours=23))
    assert not rules.link_is_valid("delivered", DELIVERED_AT, 7, DELIVERED_AT + timedelta(days=7))
    assert not rules.link_is_valid("delivered", DELIVERED_AT, 0, DELIVERED_AT)


def test_unknown_and_expired_links_get_one_answer_that_names_nothing():
    refused = rules.no_such_link()
    assert isinstance(refused, NotFound)
    assert refused.details == {"token": ["Unknown or expired."]}


def test_tracking_urls_are_masked_in_logs():
    token = rules.new_token()
    line = f'127.0.0.1 - - "GET /api/v1/track/{token}/approval HTTP/1.1" 200'
    masked = mask_personal_data(line)
    assert token not in masked and "/api/v1/track/***/approval" in masked
    assert token not in mask_personal_data(f"send http://127.0.0.1:8000/track/{token}")


# --- the customer's view of the workshop's repair order ---

def _id():
    return str(uuid.uuid4())


LABOUR, PART, SUBLET, WARRANTY = _id(), _id(), _id(), _id()


def order(status="awaiting_approval", approvals=("pending", "pending", "pending", "pending")):
    """A repair order as workshop's get_repair_order answers it (only what the rules read, plus internals)."""
    return {
        "repair_order_id": _id(), "customer_id": _id(), "status": status, "customer_total": "0.00",
        "labour_lines": [
            {"line_id": LABOUR, "description": "更换刹车片", "amount": "300.00", "pay_type": "customer",
             "approval": approvals[0], "technician_id": _id(), "rate": "300.00", "hours": "1.00"},
            {"line_id": WARRANTY, "description": "软件升级", "amount": "150.00", "pay_type": "warranty",
             "approval": approvals[3], "technician_id": None, "rate": "300.00", "hours": "0.50"},
        ],
        "part_lines": [{"line_id": PART, "description": "前刹车片", "quantity": "1.00", "amount": "420.50",
                        "pay_type": "customer", "approval": approvals[1], "part_number": "BP-1"}],
        "sublet_lines": [{"line_id": SUBLET, "description": "玻璃修补", "amount": "180.00", "pay_type": "customer",
                          "approval": approvals[2], "cost": "120.00", "vendor": "福耀"}],
    }


def test_the_customer_sees_each_line_with_who_pays_and_no_costs_or_staff():
    tracked = rules.tracked_repair_order(order())
    assert tracked["status_text"] == "报价已出，等待您确认" and tracked["awaiting_answer"] is True
    assert [(line["kind"], line["line_id"], line["amount"], line["pay_type_text"]) for line in tracked["lines"]] == [
        ("labour", LABOUR, Decimal("300.00"), "客户付费"), ("labour", WARRANTY, Decimal("150.00"), "保修（无需付费）"),
        ("part", PART, Decimal("420.50"), "客户付费"), ("sublet", SUBLET, Decimal("180.00"), "客户付费")]
    assert tracked["lines"][2]["quantity"] == "1.00" and tracked["lines"][0]["quantity"] is None
    assert tracked["pending_customer_total"] == Decimal("900.50")  # warranty work costs the customer nothing
    assert all(set(line) == {"line_id", "kind", "description", "quantity", "amount", "pay_type", "pay_type_text",
                             "approval"} for line in tracked["lines"])


def test_an_answered_order_no_longer_waits_for_the_customer():
    tracked = rules.tracked_repair_order(order("approved", ("approved", "approved", "declined", "approved")))
    assert tracked["awaiting_answer"] is False and tracked["pending_customer_total"] == Decimal("0.00")


def test_an_answer_naming_pending_lines_of_this_order_is_taken():
    assert rules.check_answer(order(), [PART, LABOUR], [SUBLET]) == (sorted([PART, LABOUR]), [SUBLET])


def test_a_line_of_another_order_is_refused_naming_the_field():
    stranger = _id()
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(order(), [LABOUR, stranger], [])
    assert list(refused.value.details) == ["approved_line_ids"] and stranger in refused.value.details[
        "approved_line_ids"][0]
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(order(), [LABOUR], [stranger])
    assert list(refused.value.details) == ["declined_line_ids"]


def test_a_line_answered_already_twice_named_or_both_ways_is_refused():
    answered = order(approvals=("approved", "pending", "pending", "pending"))
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(answered, [LABOUR], [])
    assert "approved_line_ids" in refused.value.details
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(order(), [PART, PART], [])
    assert refused.value.details == {"approved_line_ids": ["A line is named twice."]}
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(order(), [PART], [PART])
    assert list(refused.value.details) == ["declined_line_ids"]


def test_declining_everything_is_for_the_advisor():
    with pytest.raises(InvalidInput) as refused:
        rules.check_answer(order(), [], [LABOUR, PART])
    assert list(refused.value.details) == ["approved_line_ids"]


@pytest.mark.parametrize("status", ["completed", "on_hold", "cancelled", "closed"])
def test_an_order_past_its_quote_takes_no_answer(status):
    with pytest.raises(Conflict):
        rules.check_answer(order(status), [LABOUR], [])


@pytest.mark.parametrize("status", ["approved", "in_progress"])
def test_additional_work_quoted_during_the_job_takes_an_answer(status):
    rules.check_answer(order(status), [LABOUR], [])
