"""The rules of a stocktake, free of any database: its states, variances, accuracy and posting order.

Stock that moves while a count is open (the bins are not frozen):
- opening snapshots every lot in scope (`opened_quantity`);
- when a counter enters a line's count, the line's `expected_quantity` is taken again from the books
  at that moment, so an issue or receipt between opening and counting is not mistaken for a variance;
- posting adjusts each lot by the variance (counted - expected), applied to what the books hold at
  posting, so movements between counting and posting are kept, not overwritten by the count.
"""
from datetime import datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from svckit.errors import Conflict

ZERO = Decimal("0")
ONE = Decimal("1")
CENTS = Decimal("0.01")
SHARE = Decimal("0.0001")
CHINA_TIME = timezone(timedelta(hours=8))  # the sites' calendar days (mainland China keeps one time zone)

SCOPES = ["full", "category", "bins"]
OPEN, SUBMITTED, APPROVED, POSTED, CANCELLED = "open", "submitted", "approved", "posted", "cancelled"
STATUSES = [OPEN, SUBMITTED, APPROVED, POSTED, CANCELLED]
ACTIVE = (OPEN, SUBMITTED, APPROVED)  # a lot in an active count may not be in another one

# action -> the states it may be taken from
ALLOWED_FROM = {
    "enter counts for": (OPEN,),
    "submit": (OPEN,),
    "approve": (SUBMITTED,),
    "send lines back for a recount of": (SUBMITTED, APPROVED),
    "post": (APPROVED,),
    "cancel": ACTIVE,
}


def require_status(stocktake, action):
    """Conflict unless `action` may be taken on a count in its present state."""
    allowed = ALLOWED_FROM[action]
    if stocktake.status not in allowed:
        raise Conflict(f"Cannot {action} a stocktake that is {stocktake.status}; it must be {' or '.join(allowed)}.",
                       {"status": [f"Is {stocktake.status}."]})


def counting_key(bin_id, part_number, batch):
    """What one line counts: a part of one batch in one bin. Held by one active count at a time."""
    return f"{bin_id}|{part_number}|{batch}"


def line_variance(expected, counted, unit_cost):
    """(quantity variance, value variance): positive when more was counted than the books hold."""
    quantity = counted - expected
    return quantity, (quantity * unit_cost).quantize(CENTS, ROUND_HALF_UP)


def share(part, whole):
    return (Decimal(part) / Decimal(whole)).quantize(SHARE, ROUND_HALF_UP)


def value_accuracy(value_off, expected_value):
    """1 - value off / expected value, kept within 0..1; 1 when nothing was expected and nothing is off."""
    if expected_value <= 0:
        return ONE.quantize(SHARE) if value_off == 0 else ZERO.quantize(SHARE)
    return max(ZERO, ONE - share(abs(value_off), expected_value)).quantize(SHARE)


def figures(lines):
    """The figures of one submitted count, from lines with expected_quantity, counted_quantity, unit_cost.

    accuracy: share of lines with no variance. value_accuracy: 1 - |net value variance| / expected value.
    gross_value_variance (the sum of every line's |value variance|) shows what offsetting lines hide.
    """
    lines = list(lines)
    with_variance = quantity = value = gross = expected_value = ZERO
    for line in lines:
        q, v = line_variance(line.expected_quantity, line.counted_quantity, line.unit_cost)
        with_variance += 1 if q != 0 else 0
        quantity += q
        value += v
        gross += abs(v)
        expected_value += (line.expected_quantity * line.unit_cost).quantize(CENTS, ROUND_HALF_UP)
    count = len(lines)
    return {
        "lines": count,
        "lines_with_variance": int(with_variance),
        "quantity_variance": quantity,
        "value_variance": value,
        "gross_value_variance": gross,
        "expected_value": expected_value,
        "accuracy": share(count - with_variance, count) if count else ONE.quantize(SHARE),
        "value_accuracy": value_accuracy(value, expected_value),
    }


def period_figures(counts):
    """The figures over several posted counts, each a dict as `figures` gives.

    Lines are pooled; value accuracy is 1 - sum of each count's |value variance| / sum of expected value,
    so one count's shortage is not hidden by another count's surplus (for one count it equals its own).
    """
    counts = list(counts)
    lines = sum((c["lines"] for c in counts), 0)
    with_variance = sum((c["lines_with_variance"] for c in counts), 0)
    expected_value = sum((c["expected_value"] for c in counts), ZERO)
    value_off = sum((abs(c["value_variance"]) for c in counts), ZERO)
    return {
        "counts": len(counts),
        "lines": lines,
        "lines_with_variance": with_variance,
        "accuracy": share(lines - with_variance, lines) if lines else None,
        "expected_value": expected_value,
        "value_variance": sum((c["value_variance"] for c in counts), ZERO),
        "absolute_value_variance": value_off,
        "value_accuracy": value_accuracy(value_off, expected_value) if counts else None,
    }


def period_bounds(date_from, date_to):
    """[start, end) in UTC of the calendar days date_from..date_to (inclusive), in China time."""
    start = datetime.combine(date_from, time.min, CHINA_TIME)
    end = datetime.combine(date_to + timedelta(days=1), time.min, CHINA_TIME)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def posting_order(changes, available):
    """The order to book one part's changes [(line, delta)] in, given the part's available stock.

    Shortages go first when unreserved stock covers them, so stock found elsewhere in the count
    goes to waiting backorders afterwards; otherwise the surpluses go first to make room.
    """
    surpluses = [c for c in changes if c[1] > 0]
    shortages = [c for c in changes if c[1] < 0]
    if -sum((delta for _, delta in shortages), ZERO) <= available:
        return shortages + surpluses
    return surpluses + shortages


def reservation_shortfall(on_hand, reserved, changes):
    """How far below what is reserved the part would go once every change is booked (0 when it fits)."""
    after = on_hand + sum((delta for _, delta in changes), ZERO)
    return max(ZERO, reserved - after)
