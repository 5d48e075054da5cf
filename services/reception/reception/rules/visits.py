"""The rules of a visit, free of any database: what check-in accepts and when a car may be handed back.

A visit is one stay of a car at the dealership:
checked_in -> ready_for_delivery (the final inspection passed) -> delivered.
"""
from decimal import Decimal

from svckit.errors import Conflict, InvalidInput

CHECKED_IN = "checked_in"
READY_FOR_DELIVERY = "ready_for_delivery"
DELIVERED = "delivered"

CENT = Decimal("0.01")


def check_mileage(reported_km, recorded_km, correction_reason=None):
    """An odometer only goes up: check-in may not report less than the vehicle's recorded mileage, unless a
    reason explains it (an instrument cluster replaced). True when the reading is such a correction."""
    if recorded_km is None or reported_km >= recorded_km:
        return False
    if correction_reason and correction_reason.strip():
        return True
    reason = (f"{reported_km} km is lower than the {recorded_km} km already recorded for this vehicle; "
              "give mileage_correction_reason if the odometer was replaced or reset.")
    raise InvalidInput(f"mileage_km: {reason}", {"mileage_km": [reason]})


def check_promised_at(promised_at, now):
    """The time the car is promised back must still be ahead of us."""
    if promised_at <= now:
        reason = f"Must be in the future; {promised_at.isoformat()} is not after {now.isoformat()}."
        raise InvalidInput(f"promised_at: {reason}", {"promised_at": [reason]})


def money(value):
    """A decimal string from another service as a Decimal with two places."""
    return Decimal(str(value)).quantize(CENT)


class VisitRules:
    """Mixed into the Visit model (status, promised_at, ready_at, delivered_at and the totals)."""

    @property
    def is_open(self):
        return self.status != DELIVERED

    def mark_ready_for_delivery(self, at):
        """The final inspection passed. Returns False (and changes nothing) if the car has already gone."""
        if self.status == DELIVERED:
            return False
        self.status = READY_FOR_DELIVERY
        self.ready_at = at
        return True

    def check_deliverable(self):
        if self.status != READY_FOR_DELIVERY:
            raise Conflict(
                f"Visit {self.id} is {self.status}: only a visit ready_for_delivery may be delivered.",
                {"status": [f"Is {self.status}, must be {READY_FOR_DELIVERY}."]})
        if not self.repair_order_id:
            raise Conflict(
                f"Visit {self.id} has no repair order yet: there is no bill to deliver with.",
                {"repair_order_id": ["No repair order is known for this visit yet."]})

    def record_delivery(self, labour_total, parts_total, total, notes, at):
        """The car is handed back with the bill; whether it left when promised is kept for the KPIs."""
        self.check_deliverable()
        self.labour_total = money(labour_total)
        self.parts_total = money(parts_total)
        self.total = money(total)
        self.delivery_notes = notes
        self.delivered_at = at
        self.promised_time_kept = at <= self.promised_at
        self.status = DELIVERED
