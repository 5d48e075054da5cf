"""Transfers of stock between the sites of the group, with stock in transit.

Who acts: a parts_clerk or site_manager of either site requests and may cancel until it
ships; a site_manager of the SENDING site approves (its stock is reserved); a parts_clerk of
the sending site ships; a parts_clerk of the RECEIVING site receives.
"""
from datetime import date
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import or_, select

from contracts.parts import (
    TRANSFER_RECEIVED, TRANSFER_SHIPPED, NewTransfer, StockInTransitView, TransferCancellation, TransferQuery,
    TransferReceipt, TransferView,
)
from parts.inventory import BACKORDERED, RESERVED, Inventory
from parts.models import Reservation
from parts.models.transfers import Transfer, TransferLine
from parts.rules.transfers import (
    SHIPPED, ZERO, allowed_actions, in_transit_by_part, next_status, receipt_outcome, shipped_batches,
    split_over_batches, value,
)
from svckit.db import columns, utcnow
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.schemas import load


class TransferApi:
    @rpc
    def request_transfer(self, payload):
        """Ask for stock to move from one site to another; nothing is reserved until the sender approves."""
        self.auth.require_role("parts_clerk", "site_manager")
        data = load(NewTransfer, payload)
        self._transfer_require_either_site(data["from_site_id"], data["to_site_id"])
        inventory = self._transfer_inventory()
        transfer = self.db.add(Transfer(site_id=data["from_site_id"], to_site_id=data["to_site_id"],
                                        status="requested", note=data["note"], requested_by=self.auth.username,
                                        requested_at=utcnow(), cancel_reason=""))
        numbers = set()
        for position, line in enumerate(data["lines"]):
            try:
                part = inventory.part(line["part_number"], follow_supersession=True)
            except NotFound:
                raise NotFound(f"No part {line['part_number']} in the catalogue.",
                               {"lines": {str(position): {"part_number": ["Unknown part."]}}}) from None
            if part.part_number in numbers:
                raise InvalidInput(f"{line['part_number']} is now {part.part_number}, which this transfer already has.",
                                   {"lines": {str(position): {"part_number": [f"Same part as {part.part_number}."]}}})
            numbers.add(part.part_number)
            transfer.lines.append(TransferLine(site_id=transfer.site_id, position=position,
                                               part_number=part.part_number, quantity=line["quantity"],
                                               shipped_batches=[], discrepancy_reason=""))
        self.db.commit()
        return _transfer_view(transfer)

    @rpc
    def get_transfer(self, transfer_id):
        transfer = self._load_transfer(transfer_id)
        self._transfer_require_either_site(transfer.site_id, transfer.to_site_id)
        return _transfer_view(transfer)

    @rpc
    def list_transfers(self, payload):
        query = load(TransferQuery, payload)
        sites = [query["site_id"]] if query["site_id"] else None
        if sites:
            self.auth.require_site(query["site_id"])
        elif not self.auth.all_sites:
            sites = sorted(self.auth.sites)
        statement = select(Transfer)
        if sites is not None:
            outbound, inbound = Transfer.site_id.in_(sites), Transfer.to_site_id.in_(sites)
            statement = statement.where({"outbound": outbound, "inbound": inbound}.get(
                query["direction"], or_(outbound, inbound)))
        if query["status"]:
            statement = statement.where(Transfer.status == query["status"])
        transfers = self.db.scalars(statement.order_by(Transfer.requested_at.desc()).limit(query["limit"])).all()
        return [_transfer_view(transfer) for transfer in transfers]

    @rpc
    def approve_transfer(self, transfer_id):
        """The sender agrees: every line is reserved from its stock, or nothing is (Conflict naming the short lines)."""
        self.auth.require_role("site_manager")
        transfer = self._load_transfer(transfer_id, lock=True)
        self._transfer_require_site_of_step(transfer.site_id, "approve", "the sending site")
        status = next_status(transfer.status, "approve")
        inventory = self._transfer_inventory()
        short = {}
        for line in transfer.lines:
            part = inventory.part(line.part_number)
            reservation = inventory.reserve(part, transfer.site_id, line.quantity, f"transfer-line:{line.id}",
                                            kind="transfer", backorder=False)
            if reservation is None:
                stock = inventory.stock(transfer.site_id, line.part_number, lock=False)
                waiting = inventory.backordered(transfer.site_id, line.part_number)
                short[str(line.position)] = {"quantity": [
                    f"{line.part_number}: {stock.available} available at {transfer.site_id}"
                    + (f" and {waiting} already waiting for it" if waiting else "") + f", {line.quantity} asked."]}
            else:
                line.reservation_id = reservation.id
        if short:
            message = f"{transfer.site_id} cannot cover the transfer: nothing was reserved."
            self.db.rollback()
            raise Conflict(message, {"lines": short})
        transfer.status, transfer.approved_by, transfer.approved_at = status, self.auth.username, utcnow()
        self.db.commit()
        return _transfer_view(transfer)

    @rpc
    def ship_transfer(self, transfer_id):
        """The reserved stock leaves the sender (movement transfer_out, first expiry first) and is in transit."""
        self.auth.require_role("parts_clerk")
        transfer = self._load_transfer(transfer_id, lock=True)
        self._transfer_require_site_of_step(transfer.site_id, "ship", "the sending site")
        status = next_status(transfer.status, "ship")
        inventory = self._transfer_inventory()
        for line in transfer.lines:
            reservation = self.db.get(Reservation, line.reservation_id)
            picked = inventory.issue(reservation, kind="transfer_out")
            line.shipped_quantity, line.unit_cost = reservation.quantity, reservation.unit_cost
            line.shipped_batches = [
                {"batch": batch, "expiry_date": expiry.isoformat() if expiry else None, "quantity": str(quantity)}
                for batch, expiry, quantity in shipped_batches(
                    (lot.batch, lot.expiry_date, quantity) for lot, quantity in picked)]
        transfer.status, transfer.shipped_by, transfer.shipped_at = status, self.auth.username, utcnow()
        lines = [{"line_id": line.id, "part_number": line.part_number, "quantity": str(line.shipped_quantity),
                  "unit_cost": str(line.unit_cost)} for line in transfer.lines]
        self.db.emit(TRANSFER_SHIPPED, {
            "transfer_id": transfer.id, "from_site_id": transfer.site_id, "to_site_id": transfer.to_site_id,
            "lines": lines, "value": str(sum((value(line.shipped_quantity, line.unit_cost)
                                              for line in transfer.lines), ZERO)),
        }, site_id=transfer.site_id)
        self.db.commit()
        return _transfer_view(transfer)

    @rpc
    def receive_transfer(self, transfer_id, payload):
        """The receiver takes in what arrived (movement transfer_in at the cost it left with); the rest is lost."""
        self.auth.require_role("parts_clerk")
        transfer = self._load_transfer(transfer_id, lock=True)
        self._transfer_require_site_of_step(transfer.to_site_id, "receive", "the receiving site")
        status = next_status(transfer.status, "receive")
        data = load(TransferReceipt, payload)
        outcome = receipt_outcome({line.id: line.shipped_quantity for line in transfer.lines}, data["lines"])
        inventory = self._transfer_inventory()
        bin = (inventory.bin(transfer.to_site_id, data["warehouse_code"], data["bin_code"])
               if data["warehouse_code"] or data["bin_code"] else inventory.bin(transfer.to_site_id))
        lost_value = ZERO
        for line in transfer.lines:
            received, lost, reason = outcome[line.id]
            part = inventory.part(line.part_number)
            batches = [(b["batch"], _date(b["expiry_date"]), Decimal(b["quantity"])) for b in line.shipped_batches]
            for batch, expiry_date, quantity in split_over_batches(batches, received):
                inventory.receive(part, transfer.to_site_id, quantity, unit_cost=line.unit_cost, bin=bin,
                                  batch=batch or None, expiry_date=expiry_date,
                                  reference=f"transfer-line:{line.id}", kind="transfer_in")
            line.received_quantity, line.lost_quantity, line.discrepancy_reason = received, lost, reason
            lost_value += value(lost, line.unit_cost)
        transfer.status, transfer.received_by, transfer.received_at = status, self.auth.username, utcnow()
        self.db.emit(TRANSFER_RECEIVED, {
            "transfer_id": transfer.id, "from_site_id": transfer.site_id, "to_site_id": transfer.to_site_id,
            "lines": [{"line_id": line.id, "part_number": line.part_number,
                       "shipped_quantity": str(line.shipped_quantity), "received_quantity": str(line.received_quantity),
                       "lost_quantity": str(line.lost_quantity), "unit_cost": str(line.unit_cost),
                       "discrepancy_reason": line.discrepancy_reason} for line in transfer.lines],
            "lost_value": str(lost_value),
        }, site_id=transfer.to_site_id)
        self.db.commit()
        return _transfer_view(transfer)

    @rpc
    def cancel_transfer(self, transfer_id, payload):
        """Either site calls it off before it ships; the sender's reservations are released."""
        self.auth.require_role("parts_clerk", "site_manager")
        data = load(TransferCancellation, payload)
        transfer = self._load_transfer(transfer_id, lock=True)
        self._transfer_require_either_site(transfer.site_id, transfer.to_site_id)
        status = next_status(transfer.status, "cancel")
        inventory = self._transfer_inventory()
        for line in transfer.lines:
            reservation = line.reservation_id and self.db.get(Reservation, line.reservation_id)
            if reservation and reservation.status in (RESERVED, BACKORDERED):
                inventory.release(reservation)
        transfer.status, transfer.cancelled_by, transfer.cancelled_at = status, self.auth.username, utcnow()
        transfer.cancel_reason = data["reason"]
        self.db.commit()
        return _transfer_view(transfer)

    @rpc
    def stock_in_transit(self, site_id):
        """Per part: shipped to this site, not yet received (inbound); shipped by it, not yet received (outbound)."""
        self.auth.require_site(site_id)
        rows = self.db.execute(
            select(Transfer.site_id, Transfer.to_site_id, Transfer.id, TransferLine.part_number,
                   TransferLine.shipped_quantity, TransferLine.unit_cost)
            .join(TransferLine, TransferLine.transfer_id == Transfer.id)
            .where(Transfer.status == SHIPPED, or_(Transfer.site_id == site_id, Transfer.to_site_id == site_id))
            .order_by(Transfer.shipped_at, Transfer.id)).all()
        return StockInTransitView(many=True).dump(in_transit_by_part(site_id, rows))

    # --- helpers ---

    def _transfer_inventory(self):
        return Inventory(self.db, self.auth.username)

    def _load_transfer(self, transfer_id, lock=False):
        statement = select(Transfer).where(Transfer.id == str(transfer_id))
        transfer = self.db.scalars(statement.with_for_update() if lock else statement).one_or_none()
        if transfer is None:
            raise NotFound(f"No transfer {transfer_id}.", {"transfer_id": ["Unknown transfer."]})
        return transfer

    def _transfer_require_either_site(self, from_site_id, to_site_id):
        if not (self.auth.can_access_site(from_site_id) or self.auth.can_access_site(to_site_id)):
            raise Forbidden(f"User {self.auth.username} works at neither {from_site_id} nor {to_site_id}.",
                            {"site_id": [f"Not one of your sites: {sorted(self.auth.sites)}."]})

    def _transfer_require_site_of_step(self, site_id, action, which):
        if not self.auth.can_access_site(site_id):
            raise Forbidden(f"Only {which} ({site_id}) may {action} this transfer.",
                            {"site_id": [f"Done by {site_id}; yours: {sorted(self.auth.sites)}."]})


def _date(iso):
    return date.fromisoformat(iso) if iso else None


def _transfer_view(transfer):
    return TransferView().dump({
        **columns(transfer),
        "from_site_id": transfer.site_id, "allowed_actions": allowed_actions(transfer.status),
        "lines": [{**columns(line),
                   "batches": [{**batch, "expiry_date": _date(batch["expiry_date"])}
                               for batch in line.shipped_batches or []]}
                  for line in transfer.lines],
    })
