"""The rules of a transfer between two sites of the group, free of any database.

A transfer is requested, approved by the sending site (its stock is reserved), shipped
(the stock leaves the sender and is in transit), then received by the other site; until
it ships it may be cancelled. What arrives short of what was shipped is lost in transit.
"""
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from svckit.errors import Conflict, InvalidInput

ZERO = Decimal("0")
CENT = Decimal("0.01")

REQUESTED, APPROVED, SHIPPED, RECEIVED, CANCELLED = "requested", "approved", "shipped", "received", "cancelled"
STATUSES = [REQUESTED, APPROVED, SHIPPED, RECEIVED, CANCELLED]

# status -> {action: status it leads to}
TRANSITIONS = {
    REQUESTED: {"approve": APPROVED, "cancel": CANCELLED},
    APPROVED: {"ship": SHIPPED, "cancel": CANCELLED},
    SHIPPED: {"receive": RECEIVED},
    RECEIVED: {},
    CANCELLED: {},
}


def allowed_actions(status):
    return list(TRANSITIONS[status])


def next_status(status, action):
    """The status `action` leads to, or Conflict naming what is allowed from `status`."""
    allowed = TRANSITIONS[status]
    if action not in allowed:
        listing = ", ".join(allowed) or "nothing (the transfer is closed)"
        raise Conflict(f"A transfer that is {status} cannot {action}; allowed now: {listing}.",
                       {"status": [f"Is {status}; allowed: {listing}."]})
    return allowed[action]


def receipt_outcome(shipped, received_lines):
    """What each shipped line received and lost: {line_id: (received, lost, reason)}.

    `shipped` maps line id -> quantity shipped; `received_lines` are the receiver's
    [{"line_id", "received_quantity", "discrepancy_reason"}]. A line not mentioned arrived
    in full. A line received short needs a reason; more than was shipped is refused.
    Refuses (InvalidInput naming lines.<i>.<field>) before anything is received.
    """
    errors = {}
    given = {}
    for index, line in enumerate(received_lines):
        line_id = line["line_id"]
        problems = {}
        if line_id not in shipped:
            problems["line_id"] = ["Not a line of this transfer."]
        elif line_id in given:
            problems["line_id"] = ["Given twice."]
        else:
            quantity, reason = line["received_quantity"], (line.get("discrepancy_reason") or "").strip()
            if quantity > shipped[line_id]:
                problems["received_quantity"] = [f"At most {shipped[line_id]}: that is what was shipped."]
            elif quantity < shipped[line_id] and not reason:
                problems["discrepancy_reason"] = [
                    f"Required: {shipped[line_id] - quantity} of {shipped[line_id]} did not arrive."]
            given[line_id] = (quantity, reason)
        if problems:
            errors[str(index)] = problems
    if errors:
        raise InvalidInput("The receipt does not match what was shipped.", {"lines": errors})
    outcome = {}
    for line_id, quantity in shipped.items():
        received, reason = given.get(line_id, (quantity, ""))
        outcome[line_id] = (received, quantity - received, reason)
    return outcome


def split_over_batches(batches, received):
    """How `received` lands in the batches shipped: [(batch, expiry_date, quantity)].

    `batches` are the shipped [(batch, expiry_date, quantity)] in the order they were
    picked (first expiry first). What arrived fills them in that order, so a shortfall
    is charged to the batches picked last: the receiver counts a total, not per batch.
    """
    landed = []
    left = received
    for batch, expiry_date, quantity in batches:
        if left <= 0:
            break
        taken = min(quantity, left)
        landed.append((batch, expiry_date, taken))
        left -= taken
    return landed


def shipped_batches(picked):
    """The picked lots [(batch, expiry_date, quantity)] merged by batch, in the order first picked."""
    merged = {}
    for batch, expiry_date, quantity in picked:
        key = (batch, expiry_date)
        merged[key] = merged.get(key, ZERO) + quantity
    return [(batch, expiry_date, quantity) for (batch, expiry_date), quantity in merged.items()]


def value(quantity, unit_cost):
    return (quantity * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)


def in_transit_by_part(site_id, shipped_lines):
    """Stock in transit for `site_id`, per part, from the lines of shipped transfers.

    `shipped_lines` are (from_site_id, to_site_id, transfer_id, part_number, quantity, unit_cost).
    Outbound: shipped by this site and not yet received; inbound: on its way to this site.
    """
    none = Decimal("0.00")
    rows = defaultdict(lambda: {"inbound_quantity": none, "inbound_value": none, "outbound_quantity": none,
                                "outbound_value": none, "transfer_ids": []})
    for from_site, to_site, transfer_id, part_number, quantity, unit_cost in shipped_lines:
        for direction, site in (("outbound", from_site), ("inbound", to_site)):
            if site != site_id:
                continue
            row = rows[part_number]
            row[f"{direction}_quantity"] += quantity
            row[f"{direction}_value"] += value(quantity, unit_cost)
            if transfer_id not in row["transfer_ids"]:
                row["transfer_ids"].append(transfer_id)
    return [{"site_id": site_id, "part_number": part_number, **row} for part_number, row in sorted(rows.items())]
