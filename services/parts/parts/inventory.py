"""Every change of stock goes through `Inventory`, so the lots, the site totals, the ledger,
waiting backorders and low-stock alerts always move together, in one transaction."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from contracts.parts import LOW_STOCK, PART_RESERVED, PARTS_RETURNED, STOCK_RECEIVED, STOCK_WRITTEN_OFF
from parts.models import Bin, Lot, Part, Reservation, Stock, StockMovement, Warehouse
from parts.rules.backorders import backorders_to_fill
from parts.rules.lots import pick_first_expiry_first
from svckit.db import utcnow
from svckit.errors import Conflict, InvalidInput, NotFound

ZERO = Decimal("0")
MAIN_WAREHOUSE, DEFAULT_BIN = "MAIN", "DEFAULT"
RESERVED, BACKORDERED, ISSUED, RETURNED, RELEASED = "reserved", "backordered", "issued", "returned", "released"


class Inventory:
    def __init__(self, db, by):
        self.db = db
        self.by = by

    # --- catalogue and places ---

    def part(self, part_number, follow_supersession=False):
        part = self.db.get(Part, str(part_number).upper())
        if part is None:
            raise NotFound(f"No part {part_number} in the catalogue.", {"part_number": ["Unknown part."]})
        seen = {part.part_number}
        while follow_supersession and part.superseded_by:
            part = self.db.get(Part, part.superseded_by)
            if part is None or part.part_number in seen:
                raise Conflict(f"The supersession chain of {part_number} is broken.",
                               {"part_number": ["Supersession leads nowhere."]})
            seen.add(part.part_number)
        return part

    def warehouse(self, site_id, code, create=False):
        warehouse = self.db.scalars(select(Warehouse).where(
            Warehouse.site_id == site_id, Warehouse.code == code)).one_or_none()
        if warehouse is None:
            if not create:
                raise NotFound(f"No warehouse {code} at site {site_id}.", {"warehouse_code": ["Unknown warehouse."]})
            warehouse = self.db.add(Warehouse(site_id=site_id, code=code, name=code.title()))
            self.db.flush()
        return warehouse

    def bin(self, site_id, warehouse_code=None, bin_code=None):
        """The named bin; the site's MAIN/DEFAULT bin (made on first use) when none is named."""
        if warehouse_code is None and bin_code is None:
            warehouse = self.warehouse(site_id, MAIN_WAREHOUSE, create=True)
            return self._bin_in(warehouse, DEFAULT_BIN, create=True)
        warehouse = self.warehouse(site_id, warehouse_code or MAIN_WAREHOUSE, create=warehouse_code is None)
        return self._bin_in(warehouse, bin_code or DEFAULT_BIN, create=bin_code is None)

    def _bin_in(self, warehouse, code, create):
        found = self.db.scalars(select(Bin).where(Bin.warehouse_id == warehouse.id, Bin.code == code)).one_or_none()
        if found is None:
            if not create:
                raise NotFound(f"No bin {code} in warehouse {warehouse.code}.", {"bin_code": ["Unknown bin."]})
            found = self.db.add(Bin(site_id=warehouse.site_id, warehouse_id=warehouse.id, code=code))
            self.db.flush()
        return found

    # --- totals ---

    def stock(self, site_id, part_number, lock=True, create=True):
        """The site's totals of a part, locked until commit so that changes to one part queue up."""
        query = select(Stock).where(Stock.site_id == site_id, Stock.part_number == part_number)
        stock = self.db.scalars(query.with_for_update() if lock else query).one_or_none()
        if stock is None and create:
            stock = self.db.add(Stock(site_id=site_id, part_number=part_number, on_hand=ZERO, reserved=ZERO,
                                      reorder_point=ZERO, reorder_quantity=ZERO, average_cost=ZERO))
            self.db.flush()
        return stock

    def backordered(self, site_id, part_number):
        return sum((r.quantity for r in self._waiting(site_id, part_number)), ZERO)

    # --- into stock ---

    def receive(self, part, site_id, quantity, unit_cost=None, bin=None, batch=None, expiry_date=None,
                reference=None, kind="receipt"):
        """Stock arrives in a bin; waiting backorders are served from it, oldest first."""
        if part.tracks_batches and (not batch or expiry_date is None):
            raise InvalidInput(f"{part.part_number} has a shelf life: give its batch and expiry date.", {
                "batch": ["Required for a part with a shelf life."] if not batch else [],
                "expiry_date": ["Required for a part with a shelf life."] if expiry_date is None else []})
        unit_cost = part.cost_price if unit_cost is None else unit_cost
        bin = bin or self.bin(site_id)
        stock = self.stock(site_id, part.part_number)
        lot = self._lot(part.part_number, bin, batch or "", expiry_date)
        lot.quantity += quantity
        stock.receive(quantity, unit_cost)
        self.db.flush()
        self._move(stock, kind, quantity, unit_cost, lot=lot, reference=reference)
        self.db.emit(STOCK_RECEIVED, {
            "part_number": part.part_number, "quantity": str(quantity), "on_hand": str(stock.on_hand),
            "lot_id": lot.id, "bin_code": bin.code, "batch": lot.batch,
            "expiry_date": expiry_date.isoformat() if expiry_date else None, "reference": reference,
        }, site_id=site_id)
        self._serve_backorders(stock)
        return lot

    def _lot(self, part_number, bin, batch, expiry_date):
        lot = self.db.scalars(select(Lot).where(
            Lot.bin_id == bin.id, Lot.part_number == part_number, Lot.batch == batch)).one_or_none()
        if lot is None:
            lot = self.db.add(Lot(site_id=bin.site_id, part_number=part_number, bin=bin, bin_id=bin.id, batch=batch,
                                  expiry_date=expiry_date, quantity=ZERO, received_at=utcnow()))
        elif expiry_date is not None and lot.expiry_date not in (None, expiry_date):
            raise InvalidInput(f"Batch {batch} in bin {bin.code} expires {lot.expiry_date}, not {expiry_date}.",
                               {"expiry_date": [f"Batch {batch} is on record as expiring {lot.expiry_date}."]})
        return lot

    # --- reservations ---

    def reserve(self, part, site_id, quantity, reference, repair_order_id=None, kind="repair_order",
                backorder=True):
        """Set stock aside. Never oversells: the site totals are locked and checked first.

        Returns the reservation (reserved, or backordered to be served as stock arrives),
        or None when stock is short and the caller asked not to backorder.
        """
        stock = self.stock(site_id, part.part_number)
        ready = stock.can_reserve(quantity) and not self._waiting(site_id, part.part_number)
        if not ready and not backorder:
            return None
        reservation = self.db.add(Reservation(
            site_id=site_id, part_number=part.part_number, quantity=quantity, reference=reference,
            repair_order_id=repair_order_id, kind=kind, status=BACKORDERED, requested_at=utcnow(),
            filled_at_request=ready))
        self.db.flush()
        if ready:
            self._set_aside(stock, reservation, was_backordered=False)
        return reservation

    def release(self, reservation):
        """Give the stock back. Releasing again is harmless: a caller retrying after a failure gets the same answer."""
        if reservation.status == RELEASED:
            return
        if reservation.status == RESERVED:
            self.stock(reservation.site_id, reservation.part_number).release(reservation.quantity)
        elif reservation.status != BACKORDERED:
            raise Conflict(f"A reservation that is {reservation.status} cannot be released.",
                           {"status": [f"Is {reservation.status}."]})
        reservation.status = RELEASED
        self._serve_backorders(self.stock(reservation.site_id, reservation.part_number))

    def _set_aside(self, stock, reservation, was_backordered):
        stock.reserve(reservation.quantity)
        reservation.status, reservation.reserved_at = RESERVED, utcnow()
        self.db.emit(PART_RESERVED, {
            "reservation_id": reservation.id, "part_number": reservation.part_number,
            "quantity": str(reservation.quantity), "reference": reservation.reference,
            "repair_order_id": reservation.repair_order_id, "kind": reservation.kind,
            "was_backordered": was_backordered,
        }, site_id=reservation.site_id)

    def _waiting(self, site_id, part_number):
        return self.db.scalars(select(Reservation).where(
            Reservation.site_id == site_id, Reservation.part_number == part_number,
            Reservation.status == BACKORDERED).order_by(Reservation.requested_at, Reservation.id)).all()

    def _serve_backorders(self, stock):
        for reservation in backorders_to_fill(stock.available, self._waiting(stock.site_id, stock.part_number)):
            self._set_aside(stock, reservation, was_backordered=True)

    # --- out of stock ---

    def issue(self, reservation, reference=None, kind="issue"):
        """Reserved parts leave the store, first expiry first; returns [(lot, quantity)].

        kind names the movement in the ledger: issue (to a repair order), sale, transfer_out.
        """
        if reservation.status != RESERVED:
            raise Conflict(f"Only a reserved demand can be issued; this one is {reservation.status}.",
                           {"status": [f"Is {reservation.status}."]})
        stock = self.stock(reservation.site_id, reservation.part_number)
        picked = pick_first_expiry_first(self._lots(reservation.site_id, reservation.part_number),
                                         reservation.quantity, date.today())
        crossed = stock.issue_reserved(reservation.quantity)
        for lot, quantity in picked:
            lot.quantity -= quantity
            self._move(stock, kind, -quantity, stock.average_cost, lot=lot, reservation=reservation,
                       reference=reference or reservation.reference)
        reservation.status, reservation.issued_at, reservation.unit_cost = ISSUED, utcnow(), stock.average_cost
        self._alert_if_low(stock, crossed)
        return picked

    def return_to_stock(self, reservation, quantity, bin=None, reason=""):
        """Issued parts come back unused: into the bin they left (or another), at the cost they left with."""
        if reservation.status not in (ISSUED, RETURNED):
            raise Conflict(f"Only issued parts can come back; this demand is {reservation.status}.",
                           {"status": [f"Is {reservation.status}."]})
        returnable = reservation.quantity - reservation.returned_quantity
        if quantity > returnable:
            raise InvalidInput(f"Only {returnable} of this issue can come back.",
                               {"quantity": [f"At most {returnable}."]})
        issued_from = self._lots_issued_for(reservation)
        lot = issued_from[0] if bin is None and issued_from else self._lot(
            reservation.part_number, bin or self.bin(reservation.site_id), issued_from[0].batch if issued_from else "",
            issued_from[0].expiry_date if issued_from else None)
        stock = self.stock(reservation.site_id, reservation.part_number)
        lot.quantity += quantity
        stock.put_back(quantity)
        reservation.returned_quantity += quantity
        reservation.status = RETURNED
        self.db.flush()
        self._move(stock, "return", quantity, reservation.unit_cost or stock.average_cost, lot=lot,
                   reservation=reservation, reference=reservation.reference, reason=reason)
        self.db.emit(PARTS_RETURNED, {
            "reservation_id": reservation.id, "repair_order_id": reservation.repair_order_id,
            "part_number": reservation.part_number, "quantity": str(quantity), "reason": reason,
        }, site_id=reservation.site_id)
        self._serve_backorders(stock)
        return lot

    def write_off(self, lot, quantity, reason, note=""):
        """Damaged, expired or lost stock leaves the books at its average cost."""
        if quantity > lot.quantity:
            raise InvalidInput(f"The lot holds only {lot.quantity}.", {"quantity": [f"At most {lot.quantity}."]})
        stock = self.stock(lot.site_id, lot.part_number)
        crossed = stock.take_unreserved(quantity)
        lot.quantity -= quantity
        self._move(stock, "write_off", -quantity, stock.average_cost, lot=lot, reason=f"{reason}: {note}".strip(": "))
        self.db.emit(STOCK_WRITTEN_OFF, {
            "part_number": lot.part_number, "lot_id": lot.id, "batch": lot.batch, "quantity": str(quantity),
            "reason": reason, "value": str((quantity * stock.average_cost).quantize(Decimal("0.01"))), "note": note,
        }, site_id=lot.site_id)
        self._alert_if_low(stock, crossed)

    def found(self, part, bin, quantity, reference, batch="", expiry_date=None, reason="stocktake"):
        """Stock counted where the books had none: a new lot, valued at the average cost."""
        stock = self.stock(bin.site_id, part.part_number)
        if stock.average_cost == 0:  # the site never held it: value it at the catalogue cost, not for free
            stock.average_cost = part.cost_price
        lot = self._lot(part.part_number, bin, batch, expiry_date)
        lot.quantity += quantity
        stock.put_back(quantity)
        self.db.flush()
        self._move(stock, "adjustment", quantity, stock.average_cost, lot=lot, reference=reference, reason=reason)
        self._serve_backorders(stock)
        return lot

    def adjust(self, lot, counted, reference, reason="stocktake"):
        """A count differs from the books: the lot is set to what was counted."""
        delta = counted - lot.quantity
        if delta == 0:
            return ZERO
        stock = self.stock(lot.site_id, lot.part_number)
        crossed = False
        if delta > 0:
            stock.put_back(delta)
        else:
            crossed = stock.take_unreserved(-delta)
        lot.quantity = counted
        self._move(stock, "adjustment", delta, stock.average_cost, lot=lot, reference=reference, reason=reason)
        self._alert_if_low(stock, crossed)
        if delta > 0:
            self._serve_backorders(stock)
        return delta

    # --- helpers ---

    def _lots(self, site_id, part_number):
        return self.db.scalars(select(Lot).where(
            Lot.site_id == site_id, Lot.part_number == part_number).with_for_update(of=Lot)).all()

    def _lots_issued_for(self, reservation):
        lot_ids = self.db.scalars(select(StockMovement.lot_id).where(
            StockMovement.reservation_id == reservation.id, StockMovement.kind == "issue")).all()
        return [self.db.get(Lot, lot_id) for lot_id in lot_ids if lot_id]

    def _move(self, stock, kind, quantity, unit_cost, lot=None, reservation=None, reference=None, reason=""):
        self.db.add(StockMovement(
            site_id=stock.site_id, part_number=stock.part_number, kind=kind, quantity=quantity, unit_cost=unit_cost,
            lot_id=lot.id if lot is not None else None, reservation_id=reservation.id if reservation else None,
            reference=reference, reason=reason, at=utcnow(), by=self.by))

    def _alert_if_low(self, stock, crossed):
        if crossed:
            self.db.emit(LOW_STOCK, {
                "part_number": stock.part_number, "on_hand": str(stock.on_hand), "reserved": str(stock.reserved),
                "available": str(stock.available), "reorder_point": str(stock.reorder_point),
                "reorder_quantity": str(stock.reorder_quantity),
            }, site_id=stock.site_id)
