"""The parts KPIs, as plain functions of the ledger and the reservations (no database).

- fill rate = lines filled from stock at request time / lines requested
- cost of sales = value of parts issued to jobs and sold, at the unit cost they left with,
  less the value of issued parts that came back (returns), over the period
- stock value at an instant = the ledger replayed up to that instant with the moving-average
  rules of the stock (see `value_at`)
- average inventory value = (value at the start of the period + value at its end) / 2
- inventory turnover = cost of sales / average inventory value (for the period; annualised
  = turnover x 365 / days in the period)
- days of supply = inventory value at the end / monthly cost of sales x 30, where monthly cost
  of sales = cost of sales / days in the period x 30
- obsolete stock = stock on hand (on_hand x average cost) of a part with no ledger row for N days
"""
from datetime import datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from parts.rules.stock import StockRules

ZERO = Decimal("0")
CENT = Decimal("0.01")
RATIO = Decimal("0.0001")

COST_OF_SALES_KINDS = ("issue", "sale", "return")  # issues and sales are negative rows, returns positive
AVERAGING_KINDS = ("receipt", "transfer_in")  # stock bought in at its own cost moves the average
DEFAULT_OBSOLETE_DAYS = 180


def money(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator, denominator, places=RATIO):
    """numerator / denominator rounded half up, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def period_bounds(first_day, last_day):
    """[start, end) in UTC of the whole days first_day..last_day, and how many days that is."""
    start = datetime.combine(first_day, time.min, tzinfo=timezone.utc)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=timezone.utc)
    return start, end, (last_day - first_day).days + 1


# --- fill rate ---

def fill_rate(lines_requested, lines_filled):
    """Share of requested lines that stock covered the moment they were asked for (0.0000-1.0000)."""
    return ratio(lines_filled, lines_requested)


# --- valuation from the ledger ---

class _Books(StockRules):
    """One part's running totals while the ledger is replayed: the same arithmetic as the Stock table."""

    def __init__(self):
        self.on_hand, self.reserved, self.average_cost = ZERO, ZERO, ZERO


def value_at(movements, instant):
    """Value of the stock the ledger describes just before `instant`.

    Method: replay every ledger row earlier than `instant` in time order, per part. A
    receipt or transfer_in adds its quantity at its unit cost and moves the part's average
    cost exactly as a receipt does (moving average, kept to the cent); every other row
    (issue, sale, transfer_out, return, write_off, adjustment) only changes the quantity,
    as those leave or come back at the average cost. The value is the sum over parts of
    quantity x average cost. Replayed up to now this equals the Stock table's
    on_hand x average_cost, part by part.

    `movements`: objects with part_number, kind, quantity (signed), unit_cost, at.
    """
    books = {}
    for movement in sorted(movements, key=lambda m: m.at):
        if movement.at >= instant:
            break
        part = books.setdefault(movement.part_number, _Books())
        if movement.kind in AVERAGING_KINDS and movement.quantity > 0:
            part.receive(movement.quantity, movement.unit_cost)
        else:
            part.on_hand += movement.quantity
    return money(sum((part.on_hand * part.average_cost for part in books.values()), ZERO))


def cost_of_sales(movements, start, end):
    """Value of parts issued and sold in [start, end) at the cost they left with, less what came back."""
    total = sum((-(m.quantity * m.unit_cost) for m in movements
                 if m.kind in COST_OF_SALES_KINDS and start <= m.at < end), ZERO)
    return money(total)


def average_inventory_value(opening_value, closing_value):
    return (opening_value + closing_value) / 2


def turnover(cost, opening_value, closing_value):
    """Times the average stock was sold over in the period: cost of sales / average inventory value."""
    return ratio(cost, average_inventory_value(opening_value, closing_value), CENT)


def annualised_turnover(cost, opening_value, closing_value, days):
    average = average_inventory_value(opening_value, closing_value)
    if not average or not days:
        return None
    return ratio(cost * 365, average * days, CENT)


def monthly_cost_of_sales(cost, days):
    """The period's cost of sales scaled to 30 days."""
    return money(cost * 30 / days)


def days_of_supply(inventory_value, cost, days):
    """inventory value / monthly cost of sales x 30, i.e. value x days / cost; None when nothing was sold."""
    if not cost:
        return None
    return ratio(inventory_value * days, cost, CENT)


# --- obsolete stock ---

def obsolete_stock(stock_rows, last_movements, cutoff):
    """Stock lying still since before `cutoff`, most valuable first.

    `stock_rows`: (part_number, name, on_hand, average_cost) with on_hand > 0;
    `last_movements`: part_number -> time of its last ledger row (absent when it has none).
    A part with no ledger row at all has not moved either.
    """
    lines = []
    for part_number, name, on_hand, average_cost in stock_rows:
        last = last_movements.get(part_number)
        if on_hand <= 0 or (last is not None and last >= cutoff):
            continue
        lines.append({"part_number": part_number, "name": name, "on_hand": on_hand, "average_cost": average_cost,
                      "value": money(on_hand * average_cost), "last_movement_at": last})
    return sorted(lines, key=lambda line: (-line["value"], line["part_number"]))
