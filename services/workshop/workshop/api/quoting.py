"""Quoting: labour and part lines, and the customer's approval, which reserves the approved parts."""
from decimal import Decimal

from nameko.rpc import rpc

from contracts.workshop import REPAIR_ORDER_APPROVED, Approval, LabourLineInput, PartLineInput
from svckit.db import utcnow
from svckit.errors import Conflict
from svckit.schemas import load
from workshop.models import LabourLine, PartLine
from workshop.rules import repair_order as ro


class QuotingApi:
    @rpc
    def add_labour_line(self, repair_order_id, payload):
        self.auth.require_role("service_advisor", "foreman")
        line = load(LabourLineInput, payload)
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        rate = line["rate"] if line["rate"] is not None else Decimal(str(self.config.get("DEFAULT_LABOUR_RATE", "300.00")))
        order.labour_lines.append(LabourLine(
            position=len(order.labour_lines), operation_code=line["operation_code"],
            description=line["description"], hours=line["hours"], rate=ro.money(rate), approval=ro.PENDING))
        self.db.commit()
        return self._view(order)

    @rpc
    def add_part_line(self, repair_order_id, payload):
        self.auth.require_role("service_advisor", "foreman")
        line = load(PartLineInput, payload)
        part = self.parts.current_part(line["part_number"])  # a superseded number is quoted as its successor
        order = self._repair_order(repair_order_id)
        order.require_quotable()
        order.part_lines.append(PartLine(
            position=len(order.part_lines), part_number=part["part_number"], description=part["name"],
            quantity=line["quantity"], unit_price=Decimal(part["workshop_price"]), approval=ro.PENDING))
        self.db.commit()
        return self._view(order)

    @rpc
    def approve(self, repair_order_id, payload):
        """The customer's answer to the quote; approved parts are reserved at once."""
        self.auth.require_role("service_advisor")
        answer = load(Approval, payload)
        order = self._repair_order(repair_order_id)
        if order.status not in ro.QUOTABLE:
            raise Conflict(f"The repair order is {order.status}; only an opened order awaits approval.",
                           {"status": [f"Is {order.status}."]})
        approved, declined = order.choose_lines(answer["approved_line_ids"], answer["declined_line_ids"])
        if order.status != ro.AWAITING_APPROVAL:
            self._move(order, ro.AWAITING_APPROVAL, self.auth.username, utcnow(), reason="Quote presented.")
        for line in declined:
            line.approval = ro.LINE_DECLINED
        for line in approved:
            line.approval = ro.LINE_APPROVED
            if isinstance(line, PartLine):
                reservation = self.parts.reserve({
                    "site_id": order.site_id, "part_number": line.part_number, "quantity": str(line.quantity),
                    "reference": f"ro-line:{line.id}", "repair_order_id": order.id})
                line.reservation_id = reservation["reservation_id"]
                line.reservation_status = reservation["status"]
        short = any(line.reservation_status != "reserved"
                    for line in order.part_lines if line.approval == ro.LINE_APPROVED)
        self._move(order, ro.WAITING_FOR_PARTS if short else ro.APPROVED, self.auth.username, utcnow())
        self.db.emit(REPAIR_ORDER_APPROVED, {
            "repair_order_id": order.id, "status": order.status,
            "approved_line_ids": [line.id for line in approved], "declined_line_ids": [line.id for line in declined],
            "channel": answer["channel"],
        }, site_id=order.site_id)
        self.db.commit()
        return self._view(order)

