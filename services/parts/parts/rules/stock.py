"""The rules of stock, free of any database: what may be reserved, issued and received."""
from decimal import Decimal

from svckit.errors import Conflict


class InsufficientStock(Conflict):
    pass


class StockRules:
    """Mixed into the Stock model (on_hand, reserved, reorder_point, average_cost).

    Every method keeps 0 <= reserved <= on_hand.
    """

    @property
    def available(self):
        return self.on_hand - self.reserved

    def can_reserve(self, quantity):
        return quantity <= self.available

    def reserve(self, quantity):
        _positive(quantity)
        if not self.can_reserve(quantity):
            raise InsufficientStock(
                f"Only {self.available} available, {quantity} requested.",
                {"quantity": [f"Only {self.available} available."]})
        self.reserved += quantity

    def release(self, quantity):
        _positive(quantity)
        if quantity > self.reserved:
            raise Conflict(f"Cannot release {quantity}: only {self.reserved} reserved.")
        self.reserved -= quantity

    def issue_reserved(self, quantity):
        """Reserved parts leave the store. Returns True when this takes stock below its reorder point."""
        _positive(quantity)
        if quantity > self.reserved:
            raise Conflict(f"Cannot issue {quantity}: only {self.reserved} reserved.")
        was_above = self.on_hand >= self.reorder_point
        self.on_hand -= quantity
        self.reserved -= quantity
        return was_above and self.on_hand < self.reorder_point

    def receive(self, quantity, unit_cost):
        """Stock comes in; average cost moves with it (moving average valuation)."""
        _positive(quantity)
        total_value = self.on_hand * self.average_cost + quantity * unit_cost
        self.on_hand += quantity
        self.average_cost = (total_value / self.on_hand).quantize(Decimal("0.01"))

    def take_unreserved(self, quantity):
        """Stock that nobody was promised leaves (written off, counted short). True when below the reorder point."""
        _positive(quantity)
        if quantity > self.available:
            raise Conflict(
                f"Only {self.available} of the {self.on_hand} on hand is not reserved; release reservations first.",
                {"quantity": [f"At most {self.available}: the rest is reserved."]})
        was_above = self.on_hand >= self.reorder_point
        self.on_hand -= quantity
        return was_above and self.on_hand < self.reorder_point

    def put_back(self, quantity):
        """Stock comes back at the value it left with (a return, a count found more): the average cost holds."""
        _positive(quantity)
        self.on_hand += quantity


def _positive(quantity):
    if quantity <= 0:
        raise ValueError(f"quantity must be positive, got {quantity}")
