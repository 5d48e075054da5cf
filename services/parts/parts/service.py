"""The parts service: what other services and the gateway may ask of the parts department."""
from decimal import Decimal

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from contracts.parts import (
    LOW_STOCK, PART_RESERVED, PARTS_ISSUED, STOCK_RECEIVED, NewPart, PartView, ReservationRequest,
    ReservationView, StockPolicy, StockReceipt, StockView,
)
from contracts.workshop import REPAIR_COMPLETED
from parts.models import Base, Part, Reservation, Stock
from svckit.auth import Auth
from svckit.db import Database, utcnow
from svckit.errors import Conflict, NotFound
from svckit.events import consumes
from svckit.health import health_report
from svckit.schemas import load

ZERO = Decimal("0")


class PartsService:
    name = "parts"

    db = Database(Base.metadata, migrations="parts:migrations")
    auth = Auth()

    @rpc
    def health(self):
        return health_report(self.name, self.db)

    # --- catalogue ---

    @rpc
    def create_part(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewPart, payload)
        if self.db.get(Part, data["part_number"]):
            raise Conflict(f"Part {data['part_number']} already exists.",
                           {"part_number": ["Already in the catalogue."]})
        part = self.db.add(Part(**data))
        self.db.commit()
        return PartView().dump(part)

    @rpc
    def get_part(self, part_number):
        return PartView().dump(self._part(part_number))

    # --- stock ---

    @rpc
    def receive_stock(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(StockReceipt, payload)
        self.auth.require_site(data["site_id"])
        part = self._part(data["part_number"])
        stock = self._stock_for_update(data["site_id"], part.part_number, create=True)
        stock.receive(data["quantity"], part.cost_price)
        self.db.emit(STOCK_RECEIVED, {
            "part_number": part.part_number,
            "quantity": str(data["quantity"]),
            "on_hand": str(stock.on_hand),
        }, site_id=stock.site_id)
        self.db.commit()
        return StockView().dump(stock)

    @rpc
    def set_stock_policy(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(StockPolicy, payload)
        self.auth.require_site(data["site_id"])
        part = self._part(data["part_number"])
        stock = self._stock_for_update(data["site_id"], part.part_number, create=True)
        stock.reorder_point = data["reorder_point"]
        stock.reorder_quantity = data["reorder_quantity"]
        self.db.commit()
        return StockView().dump(stock)

    @rpc
    def get_stock(self, site_id, part_number):
        self.auth.require_site(site_id)
        part = self._part(part_number)
        stock = self._stock(site_id, part.part_number) or Stock(
            site_id=site_id, part_number=part.part_number, on_hand=ZERO, reserved=ZERO,
            reorder_point=ZERO, reorder_quantity=ZERO, average_cost=ZERO)
        return StockView().dump(stock)

    # --- reservations and issues ---

    @rpc
    def reserve(self, payload):
        """Set stock aside for a demand. Never oversells; asking again with the same reference is safe."""
        data = load(ReservationRequest, payload)
        self.auth.require_site(data["site_id"])
        existing = self._reservation_by_reference(data["site_id"], data["reference"])
        if existing:
            return self._reservation_view(existing)
        part = self._part(data["part_number"])
        stock = self._stock_for_update(data["site_id"], part.part_number)
        if stock is None or not stock.can_reserve(data["quantity"]):
            available = stock.available if stock is not None else ZERO
            self.db.rollback()
            return ReservationView().dump({**data, "id": None, "status": "short", "available": available})
        stock.reserve(data["quantity"])
        reservation = self.db.add(Reservation(
            site_id=data["site_id"], part_number=part.part_number, quantity=data["quantity"],
            reference=data["reference"], repair_order_id=data["repair_order_id"]))
        self.db.flush()
        self.db.emit(PART_RESERVED, {
            "reservation_id": reservation.id, "part_number": part.part_number,
            "quantity": str(data["quantity"]), "reference": data["reference"],
            "repair_order_id": data["repair_order_id"],
        }, site_id=data["site_id"])
        try:
            self.db.commit()
        except IntegrityError:  # the same reference reserved concurrently: answer with that one
            self.db.rollback()
            return self._reservation_view(self._reservation_by_reference(data["site_id"], data["reference"]))
        return ReservationView().dump({**_columns(reservation), "available": stock.available})

    @consumes(REPAIR_COMPLETED)
    def issue_parts_for_completed_repair(self, event):
        """The job is done: its reserved parts leave the store; stock below its reorder point raises low_stock."""
        issued, below_reorder_point = [], []
        for line in event.payload["part_lines"]:
            reservation = line["reservation_id"] and self.db.get(Reservation, line["reservation_id"])
            if not reservation or reservation.status != "reserved":
                continue
            stock = self._stock_for_update(reservation.site_id, reservation.part_number)
            if stock.issue_reserved(reservation.quantity):
                below_reorder_point.append(stock)
            reservation.status = "issued"
            reservation.issued_at = utcnow()
            reservation.unit_cost = stock.average_cost
            issued.append({"reservation_id": reservation.id, "part_number": reservation.part_number,
                           "quantity": str(reservation.quantity), "unit_cost": str(stock.average_cost)})
        if issued:
            self.db.emit(PARTS_ISSUED, {"repair_order_id": event.payload["repair_order_id"], "lines": issued},
                         site_id=event.site_id)
        for stock in below_reorder_point:
            self.db.emit(LOW_STOCK, {
                "part_number": stock.part_number, "on_hand": str(stock.on_hand), "reserved": str(stock.reserved),
                "available": str(stock.available), "reorder_point": str(stock.reorder_point),
                "reorder_quantity": str(stock.reorder_quantity),
            }, site_id=stock.site_id)

    # --- lookups ---

    def _part(self, part_number):
        part = self.db.get(Part, str(part_number).upper())
        if part is None:
            raise NotFound(f"No part {part_number} in the catalogue.", {"part_number": ["Unknown part."]})
        return part

    def _stock(self, site_id, part_number):
        return self.db.scalars(
            select(Stock).where(Stock.site_id == site_id, Stock.part_number == part_number)).one_or_none()

    def _stock_for_update(self, site_id, part_number, create=False):
        """The stock row, locked until commit, so concurrent changes to one part queue up."""
        stock = self.db.scalars(
            select(Stock).where(Stock.site_id == site_id, Stock.part_number == part_number)
            .with_for_update()).one_or_none()
        if stock is None and create:
            stock = self.db.add(Stock(site_id=site_id, part_number=part_number, on_hand=ZERO, reserved=ZERO,
                                      reorder_point=ZERO, reorder_quantity=ZERO, average_cost=ZERO))
        return stock

    def _reservation_by_reference(self, site_id, reference):
        return self.db.scalars(select(Reservation).where(
            Reservation.site_id == site_id, Reservation.reference == reference)).one_or_none()

    def _reservation_view(self, reservation):
        stock = self._stock(reservation.site_id, reservation.part_number)
        return ReservationView().dump({**_columns(reservation), "available": stock.available if stock else ZERO})


def _columns(record):
    return {column.key: getattr(record, column.key) for column in record.__table__.columns}
