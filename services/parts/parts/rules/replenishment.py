"""How much to order: reorder point and order quantity from demand history, lead time and safety stock.

docs/parts-replenishment.md states the formula with a worked example; the unit tests
check that example figure by figure.

    average daily demand  d = sum of daily demand / window days (days without demand count as 0)
    sigma                 s = population standard deviation of the daily demand over the window
    safety stock         SS = z * s * sqrt(L)               (L = supplier lead time in days)
    reorder point       ROP = d * L + SS
    review demand             d * R                          (R = review period in days)
    position                  on hand - reserved - backordered + on order
    suggested quantity        max(0, ROP + d * R - position), rounded up to a whole unit
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
DEFAULT_Z = Decimal("1.65")  # about a 95% service level (one-sided normal)
DEFAULT_WINDOW_DAYS = 90
DEFAULT_REVIEW_DAYS = 7
DEFAULT_LEAD_TIME_DAYS = 7  # for a part no supplier has been chosen for yet


@dataclass(frozen=True)
class Suggestion:
    average_daily_demand: Decimal
    demand_std_dev: Decimal
    lead_time_days: int
    review_days: int
    service_level_z: Decimal
    safety_stock: Decimal
    reorder_point: Decimal
    review_demand: Decimal
    on_hand: Decimal
    reserved: Decimal
    backordered: Decimal
    on_order: Decimal
    position: Decimal
    suggested_quantity: Decimal

    def figures(self):
        """Every figure, rounded to two places for display (the suggested quantity is already whole)."""
        return {name: _cents(value) if isinstance(value, Decimal) else value
                for name, value in self.__dict__.items()}


def daily_demand(demands, first_day, days):
    """Demand per day over `days` days from `first_day`: [(day, quantity)] summed into a list, zeros included."""
    series = [ZERO] * days
    for day, quantity in demands:
        index = (day - first_day).days
        if 0 <= index < days:
            series[index] += Decimal(quantity)
    return series


def window(today, days):
    """The first day of the `days` whole days before `today` (today itself is not over, so not counted)."""
    return today - timedelta(days=days)


def mean(values):
    return sum(values, ZERO) / len(values) if values else ZERO


def population_std_dev(values):
    if not values:
        return ZERO
    average = mean(values)
    return (sum(((v - average) ** 2 for v in values), ZERO) / len(values)).sqrt()


def suggest(daily, lead_time_days, review_days, z, on_hand, reserved, backordered, on_order):
    """The replenishment figures for one part at one site (see the module docstring)."""
    average = mean(daily)
    sigma = population_std_dev(daily)
    lead_time = Decimal(lead_time_days)
    safety_stock = Decimal(z) * sigma * lead_time.sqrt()
    reorder_point = average * lead_time + safety_stock
    review_demand = average * review_days
    position = on_hand - reserved - backordered + on_order
    shortfall = reorder_point + review_demand - position
    suggested = max(ZERO, shortfall).to_integral_value(rounding=ROUND_CEILING)
    return Suggestion(
        average_daily_demand=average, demand_std_dev=sigma, lead_time_days=lead_time_days, review_days=review_days,
        service_level_z=Decimal(z), safety_stock=safety_stock, reorder_point=reorder_point,
        review_demand=review_demand, on_hand=on_hand, reserved=reserved, backordered=backordered,
        on_order=on_order, position=position, suggested_quantity=suggested.quantize(CENT))


def _cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)

