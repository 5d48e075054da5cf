"""The rules of a repair order, free of any database: its states, lines, approval and totals."""
from decimal import ROUND_HALF_UP, Decimal

from svckit.errors import Conflict, InvalidInput
from workshop.rules.time import WORK, clocked_hours

CENT = Decimal("0.01")

OPENED = "opened"
DIAGNOSING = "diagnosing"
AWAITING_APPROVAL = "awaiting_approval"
APPROVED = "approved"
WAITING_FOR_PARTS = "waiting_for_parts"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
REWORK = "rework"
READY_FOR_DELIVERY = "ready_for_delivery"
DELIVERED = "delivered"
CLOSED = "closed"
CANCELLED = "cancelled"
ON_HOLD = "on_hold"

TRANSITIONS = {
    OPENED: {DIAGNOSING, AWAITING_APPROVAL, CANCELLED},
    DIAGNOSING: {AWAITING_APPROVAL, ON_HOLD, CANCELLED},
    AWAITING_APPROVAL: {APPROVED, WAITING_FOR_PARTS, DIAGNOSING, CANCELLED},
    APPROVED: {IN_PROGRESS, ON_HOLD, CANCELLED},
    WAITING_FOR_PARTS: {APPROVED, ON_HOLD, CANCELLED},
    IN_PROGRESS: {COMPLETED, ON_HOLD, CANCELLED},
    ON_HOLD: {DIAGNOSING, APPROVED, WAITING_FOR_PARTS, IN_PROGRESS, CANCELLED},
    COMPLETED: {READY_FOR_DELIVERY, REWORK},
    REWORK: {IN_PROGRESS},
    READY_FOR_DELIVERY: {DELIVERED},
    DELIVERED: {CLOSED},
    CLOSED: set(),
    CANCELLED: set(),
}

QUOTABLE = {OPENED, DIAGNOSING, AWAITING_APPROVAL}
ADDITIONAL_WORK = {APPROVED, WAITING_FOR_PARTS, IN_PROGRESS}  # work found during the job (追加项目): quoted, answered
OPEN_STATES = {OPENED, DIAGNOSING, AWAITING_APPROVAL, APPROVED, WAITING_FOR_PARTS, IN_PROGRESS, ON_HOLD, COMPLETED,
               REWORK, READY_FOR_DELIVERY}
PENDING, LINE_APPROVED, LINE_DECLINED = "pending", "approved", "declined"
CUSTOMER, WARRANTY, INTERNAL, GOODWILL = "customer", "warranty", "internal", "goodwill"
PAY_TYPES = (CUSTOMER, WARRANTY, INTERNAL, GOODWILL)


def money(amount):
    """Money is rounded once, half up to the cent, where an amount is computed."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class RepairOrderRules:
    """Mixed into the RepairOrder model (status, labour_lines, part_lines, history, ...)."""

    def status_before_hold(self):
        """Where an order on hold goes back to: the state it was put on hold from."""
        if self.status != ON_HOLD:
            raise Conflict(f"Only an order on hold can resume; this one is {self.status}.",
                           {"status": [f"Is {self.status}."]})
        return next(change.from_status for change in reversed(self.history) if change.to_status == ON_HOLD)

    def move_to(self, status, by, at, reason=None):
        allowed = TRANSITIONS[self.status]
        if status not in allowed:
            raise Conflict(
                f"A repair order that is {self.status} cannot become {status}.",
                {"status": [f"Allowed from {self.status}: {', '.join(sorted(allowed)) or 'nothing'}."]})
        self.record_status_change(self.status, status, by, at, reason)
        self.status = status

    def require_quotable(self):
        """Lines are quoted before approval, or as additional work while the job has not been completed."""
        if self.status not in QUOTABLE | ADDITIONAL_WORK:
            raise Conflict(f"Lines can only be quoted until the job is completed; the repair order is {self.status}.",
                           {"status": [f"Is {self.status}."]})

    @property
    def is_additional_work(self):
        """Whether lines quoted now are additional work on an order already approved."""
        return self.status in ADDITIONAL_WORK

    def require_completable(self):
        """The job is handed to quality only when every line is answered and every approved part is reserved."""
        errors = {}
        pending = [line for line in self.lines() if line.approval == PENDING]
        if pending:
            errors["lines"] = [f"{len(pending)} quoted line(s) still await the customer's answer."]
        awaited = [line.part_number for line in self.part_lines
                   if line.approval == LINE_APPROVED and line.reservation_status != "reserved"]
        if awaited:
            errors["part_lines"] = [f"Parts still awaited: {', '.join(awaited)}."]
        if errors:
            raise Conflict("The job cannot be completed yet: " + " ".join(m[0] for m in errors.values()), errors)

    def lines(self):
        return [*self.labour_lines, *self.part_lines, *self.sublet_lines]

    def choose_lines(self, approved_ids, declined_ids):
        """Split the pending lines by the customer's answer; every id must be a pending line of this order."""
        pending = {line.id: line for line in self.lines() if line.approval == PENDING}
        if not pending:
            raise Conflict("There are no pending lines to approve.", {"lines": ["No pending lines."]})
        declined_ids = set(declined_ids or [])
        approved_ids = set(pending) - declined_ids if approved_ids is None else set(approved_ids)
        errors = {}
        unknown_approved = approved_ids - set(pending)
        unknown_declined = declined_ids - set(pending)
        if unknown_approved:
            errors["approved_line_ids"] = [f"Not pending lines of this order: {', '.join(sorted(unknown_approved))}."]
        if unknown_declined:
            errors["declined_line_ids"] = [f"Not pending lines of this order: {', '.join(sorted(unknown_declined))}."]
        if approved_ids & declined_ids:
            errors["declined_line_ids"] = ["A line cannot be both approved and declined."]
        if not errors and not approved_ids:
            errors["approved_line_ids"] = ["Approve at least one line, or cancel the repair order."]
        if errors:
            raise InvalidInput("The approval names lines it cannot.", errors)
        return [pending[i] for i in sorted(approved_ids)], [pending[i] for i in sorted(declined_ids)]

    @property
    def labour_total(self):
        return sum((line.amount for line in self.labour_lines if line.approval == LINE_APPROVED), Decimal("0.00"))

    @property
    def parts_total(self):
        return sum((line.amount for line in self.part_lines if line.approval == LINE_APPROVED), Decimal("0.00"))

    @property
    def sublet_total(self):
        return sum((line.amount for line in self.sublet_lines if line.approval == LINE_APPROVED), Decimal("0.00"))

    @property
    def total(self):
        """Every approved line, whoever pays for it."""
        return self.labour_total + self.parts_total + self.sublet_total

    @property
    def totals_by_pay_type(self):
        """Approved amounts by who pays: warranty lines are the maker's claim, internal and goodwill the dealer's."""
        totals = {pay_type: Decimal("0.00") for pay_type in PAY_TYPES}
        for line in self.lines():
            if line.approval == LINE_APPROVED:
                totals[line.pay_type or CUSTOMER] += line.amount
        return totals

    @property
    def customer_total(self):
        """What the customer pays: the approved customer-pay lines only."""
        return self.totals_by_pay_type[CUSTOMER]

    @property
    def labour_hours_sold(self):
        return sum((line.hours for line in self.labour_lines if line.approval == LINE_APPROVED), Decimal("0"))


class LabourLineRules:
    """Mixed into the LabourLine model (hours, rate, clock_entries, ...)."""

    @property
    def amount(self):
        return money(self.hours * self.rate)

    def clocked_hours_at(self, now, phase=None):
        return clocked_hours(self.clock_entries, now, phase)

    def remaining_standard_hours(self, now):
        """Standard hours not yet worked: what is left of the job by the book (never below zero)."""
        return max(self.hours - self.clocked_hours_at(now, WORK), Decimal("0.00"))


class PartLineRules:
    @property
    def amount(self):
        return money(self.quantity * self.unit_price)
