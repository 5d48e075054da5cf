"""Stock: places, receipts, reservations, issues, returns, write-offs and expiry alerts."""
from datetime import date, timedelta
from decimal import Decimal

from nameko.rpc import rpc
from nameko.timer import timer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.parts import (
    BATCH_EXPIRING, PARTS_ISSUED, BinView, Issue, LotQuery, LotView, MovementQuery, MovementView, NewBin,
    NewWarehouse, ReservationRequest, ReservationView, ReturnToStock, StockPolicy, StockReceipt, StockView,
    WarehouseView, WriteOff,
)
from contracts.workshop import REPAIR_COMPLETED
from parts.inventory import BACKORDERED, RESERVED, Inventory
from parts.models import Bin, Lot, Reservation, StockMovement, Warehouse
from parts.rules.lots import days_left
from svckit.db import columns, utcnow
from svckit.errors import Conflict, NotFound
from svckit.events import consumes
from svckit.schemas import load

ZERO = Decimal("0")
DEFAULT_EXPIRY_ALERT_DAYS = 30


class StockApi:
    # --- places ---

    @rpc
    def create_warehouse(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewWarehouse, payload)
        self.auth.require_site(data["site_id"])
        if self.db.scalars(select(Warehouse).where(Warehouse.site_id == data["site_id"],
                                                   Warehouse.code == data["code"])).one_or_none():
            raise Conflict(f"Warehouse {data['code']} exists at {data['site_id']}.", {"code": ["Already exists."]})
        warehouse = self.db.add(Warehouse(**data))
        self.db.commit()
        return WarehouseView().dump(warehouse)

    @rpc
    def create_bin(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewBin, payload)
        self.auth.require_site(data["site_id"])
        warehouse = self._inventory().warehouse(data["site_id"], data["warehouse_code"])
        if self.db.scalars(select(Bin).where(Bin.warehouse_id == warehouse.id, Bin.code == data["code"])).first():
            raise Conflict(f"Bin {data['code']} exists in {warehouse.code}.", {"code": ["Already exists."]})
        bin = self.db.add(Bin(site_id=warehouse.site_id, warehouse_id=warehouse.id, code=data["code"]))
        self.db.commit()
        return _bin_view(bin, warehouse)

    @rpc
    def list_bins(self, site_id):
        self.auth.require_site(site_id)
        bins = self.db.scalars(select(Bin).where(Bin.site_id == site_id).order_by(Bin.code)).all()
        return [_bin_view(bin, bin.warehouse) for bin in bins]

    # --- stock ---

    @rpc
    def receive_stock(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(StockReceipt, payload)
        self.auth.require_site(data["site_id"])
        inventory = self._inventory()
        part = inventory.part(data["part_number"])
        bin = (inventory.bin(data["site_id"], data["warehouse_code"], data["bin_code"])
               if data["warehouse_code"] or data["bin_code"] else None)
        inventory.receive(part, data["site_id"], data["quantity"], unit_cost=data["unit_cost"], bin=bin,
                          batch=data["batch"], expiry_date=data["expiry_date"], reference=data["reference"])
        self.db.commit()
        return self._stock_view(inventory, data["site_id"], part.part_number)

    @rpc
    def set_stock_policy(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(StockPolicy, payload)
        self.auth.require_site(data["site_id"])
        inventory = self._inventory()
        stock = inventory.stock(data["site_id"], inventory.part(data["part_number"]).part_number)
        stock.reorder_point, stock.reorder_quantity = data["reorder_point"], data["reorder_quantity"]
        self.db.commit()
        return self._stock_view(inventory, stock.site_id, stock.part_number)

    @rpc
    def get_stock(self, site_id, part_number):
        self.auth.require_site(site_id)
        inventory = self._inventory()
        return self._stock_view(inventory, site_id, inventory.part(part_number).part_number)

    @rpc
    def list_lots(self, payload):
        query = load(LotQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(Lot).where(Lot.site_id == query["site_id"], Lot.quantity > 0)
        if query["part_number"]:
            statement = statement.where(Lot.part_number == query["part_number"])
        if query["expiring_within_days"] is not None:
            statement = statement.where(
                Lot.expiry_date <= date.today() + timedelta(days=query["expiring_within_days"]))
        lots = self.db.scalars(statement.order_by(Lot.part_number, Lot.expiry_date, Lot.received_at)).all()
        return [_lot_view(lot) for lot in lots]

    @rpc
    def list_movements(self, payload):
        query = load(MovementQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(StockMovement).where(StockMovement.site_id == query["site_id"])
        if query["part_number"]:
            statement = statement.where(StockMovement.part_number == query["part_number"])
        if query["reference"]:
            statement = statement.where(StockMovement.reference == query["reference"])
        movements = self.db.scalars(statement.order_by(StockMovement.at.desc()).limit(query["limit"])).all()
        return MovementView(many=True).dump(movements)

    # --- reservations, issues, returns, write-offs ---

    @rpc
    def reserve(self, payload):
        """Set stock aside for a demand. Never oversells; asking again with the same reference is safe.

        A part number that was superseded is reserved as the part that replaces it.
        """
        data = load(ReservationRequest, payload)
        self.auth.require_site(data["site_id"])
        existing = self._reservation_by_reference(data["site_id"], data["reference"])
        if existing:
            return self._reservation_view(existing)
        inventory = self._inventory()
        part = inventory.part(data["part_number"], follow_supersession=True)
        reservation = inventory.reserve(part, data["site_id"], data["quantity"], data["reference"],
                                        data["repair_order_id"], data["kind"], data["backorder"])
        if reservation is None:
            available = inventory.stock(data["site_id"], part.part_number).available
            self.db.rollback()
            return ReservationView().dump({**data, "part_number": part.part_number, "id": None, "status": "short",
                                           "available": available})
        try:
            self.db.commit()
        except IntegrityError:  # the same reference reserved concurrently: answer with that one
            self.db.rollback()
            return self._reservation_view(self._reservation_by_reference(data["site_id"], data["reference"]))
        return self._reservation_view(reservation)

    @rpc
    def get_reservation(self, reservation_id):
        return self._reservation_view(self._reservation(reservation_id))

    @rpc
    def release_reservation(self, reservation_id):
        reservation = self._reservation(reservation_id)
        self._inventory().release(reservation)
        self.db.commit()
        return self._reservation_view(reservation)

    @rpc
    def issue_reservation(self, payload):
        """Hand reserved parts over the counter (a repair order's parts leave when its job is completed)."""
        self.auth.require_role("parts_clerk")
        reservation = self._reservation(load(Issue, payload)["reservation_id"])
        self._inventory().issue(reservation)
        self.db.commit()
        return self._reservation_view(reservation)

    @rpc
    def return_to_stock(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(ReturnToStock, payload)
        reservation = self._reservation(data["reservation_id"])
        inventory = self._inventory()
        bin = inventory.bin(reservation.site_id, None, data["bin_code"]) if data["bin_code"] else None
        inventory.return_to_stock(reservation, data["quantity"], bin=bin, reason=data["reason"])
        self.db.commit()
        return self._reservation_view(reservation)

    @rpc
    def write_off(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(WriteOff, payload)
        lot = self.db.get(Lot, data["lot_id"])
        if lot is None:
            raise NotFound(f"No lot {data['lot_id']}.", {"lot_id": ["Unknown lot."]})
        self.auth.require_site(lot.site_id)
        inventory = self._inventory()
        inventory.write_off(lot, data["quantity"], data["reason"], data["note"])
        self.db.commit()
        return self._stock_view(inventory, lot.site_id, lot.part_number)

    @consumes(REPAIR_COMPLETED)
    def issue_parts_for_completed_repair(self, event):
        """The job is done: its reserved parts leave the store; stock below its reorder point raises low_stock."""
        inventory = self._inventory()
        issued = []
        for line in event.payload["part_lines"]:
            reservation = line["reservation_id"] and self.db.get(Reservation, line["reservation_id"])
            if not reservation or reservation.status != RESERVED:
                continue
            inventory.issue(reservation, reference=f"ro:{event.payload['repair_order_id']}")
            issued.append({"reservation_id": reservation.id, "part_number": reservation.part_number,
                           "quantity": str(reservation.quantity), "unit_cost": str(reservation.unit_cost)})
        if issued:
            self.db.emit(PARTS_ISSUED, {"repair_order_id": event.payload["repair_order_id"], "lines": issued},
                         site_id=event.site_id)

    # --- expiry ---

    @timer(interval=3600)
    def scan_for_expiring_batches(self):
        self.alert_expiring_batches()

    @rpc
    def alert_expiring_batches(self):
        """Raise batch_expiring, once per lot, for stock expiring within EXPIRY_ALERT_DAYS (or expired)."""
        window = int(self.config.get("EXPIRY_ALERT_DAYS", DEFAULT_EXPIRY_ALERT_DAYS))
        today = date.today()
        lots = self.db.scalars(select(Lot).where(
            Lot.quantity > 0, Lot.expiry_date.is_not(None), Lot.expiry_alerted_at.is_(None),
            Lot.expiry_date <= today + timedelta(days=window)).with_for_update(of=Lot, skip_locked=True)).all()
        for lot in lots:
            lot.expiry_alerted_at = utcnow()
            self.db.emit(BATCH_EXPIRING, {
                "part_number": lot.part_number, "lot_id": lot.id, "bin_code": lot.bin.code, "batch": lot.batch,
                "expiry_date": lot.expiry_date.isoformat(), "quantity": str(lot.quantity),
                "days_left": days_left(lot, today)}, site_id=lot.site_id)
        self.db.commit()
        return len(lots)

    # --- helpers ---

    def _inventory(self):
        return Inventory(self.db, self.auth.username)

    def _stock_view(self, inventory, site_id, part_number):
        stock = inventory.stock(site_id, part_number, lock=False, create=False)
        totals = {"on_hand": ZERO, "reserved": ZERO, "reorder_point": ZERO, "reorder_quantity": ZERO,
                  "average_cost": ZERO} if stock is None else {
            column: getattr(stock, column)
            for column in ("on_hand", "reserved", "reorder_point", "reorder_quantity", "average_cost")}
        return StockView().dump({**totals, "site_id": site_id, "part_number": part_number,
                                 "available": totals["on_hand"] - totals["reserved"],
                                 "backordered": inventory.backordered(site_id, part_number)})

    def _reservation(self, reservation_id):
        reservation = self.db.get(Reservation, str(reservation_id))
        if reservation is None:
            raise NotFound(f"No reservation {reservation_id}.", {"reservation_id": ["Unknown reservation."]})
        self.auth.require_site(reservation.site_id)
        return reservation

    def _reservation_by_reference(self, site_id, reference):
        return self.db.scalars(select(Reservation).where(
            Reservation.site_id == site_id, Reservation.reference == reference)).one_or_none()

    def _reservation_view(self, reservation):
        stock = self._inventory().stock(reservation.site_id, reservation.part_number, lock=False, create=False)
        expected_at = (self._expected_arrival(reservation.site_id, reservation.part_number)
                       if reservation.status == BACKORDERED else None)
        return ReservationView().dump({
            **columns(reservation),
            "available": stock.available if stock else ZERO, "expected_at": expected_at})


def _bin_view(bin, warehouse):
    return BinView().dump({"id": bin.id, "site_id": bin.site_id, "warehouse_code": warehouse.code, "code": bin.code})


def _lot_view(lot):
    return LotView().dump({**columns(lot),
                           "warehouse_code": lot.bin.warehouse.code, "bin_code": lot.bin.code})
