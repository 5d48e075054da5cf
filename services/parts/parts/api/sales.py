"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders.

Stock moves only through Inventory: an order reserves each line as `sale-line:<line id>`
(kind counter_order), a pick issues it (kind sale, first expiry first), a cancel releases it.
Invoice numbers come from a per-site, per-year counter bumped in the invoicing transaction:
a rolled-back invoice gives its number back, so the numbers have no gaps.
"""
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from nameko.rpc import rpc
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from contracts.parts import (
    DELIVERY_ORDER_UPDATED, PARTS_SOLD, CounterSaleView, DeliveryOrderView, DeliveryQuery, DeliveryStatusChange,
    NewCounterSale, NewDeliveryOrder, NewTradeAccount, SaleCancellation, SaleOrder, SaleQuery, TradeAccountChanges,
    TradeAccountQuery, TradeAccountView,
)
from parts.inventory import BACKORDERED, RESERVED, Inventory
from parts.models import Reservation
from parts.models.sales import CounterSale, CounterSaleLine, DeliveryOrder, InvoiceCounter, TradeAccount
from parts.rules.sale_pricing import LineAmounts, line_discount_problem, price_line, sale_totals
from parts.rules.sale_states import (
    DELIVERED, DELIVERY_TRANSITIONS, FAILED, INVOICED, OUT_FOR_DELIVERY, QUOTE, SCHEDULED,
    allowed_sale_actions, delivery_status_after, invoice_number, quote_expired, sale_status_after,
)
from svckit.db import columns, new_id, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.logs import mask_phone
from svckit.schemas import load

ZERO = Decimal("0")
DEFAULT_VAT_RATE = "0.13"
DEFAULT_QUOTE_VALID_DAYS = 7
DEFAULT_LINE_DISCOUNT_LIMIT_PERCENT = "10"
DEFAULT_TIME_ZONE = "Asia/Shanghai"

# line statuses (the reservation's own status is shown beside it as stock_status)
QUOTED, LINE_ORDERED, NOT_SUPPLIED, LINE_PICKED, LINE_CANCELLED = (
    "quoted", "ordered", "not_supplied", "picked", "cancelled")


class SalesApi:
    # --- trade accounts ---

    @rpc
    def create_trade_account(self, payload):
        """A garage buying at a trade discount; the discount is a commercial term, so a site manager sets it."""
        self.auth.require_role("site_manager")
        data = load(NewTradeAccount, payload)
        self.auth.require_site(data["site_id"])
        self._sales_refuse_taken_account_name(data["site_id"], data["name"])
        account = self.db.add(TradeAccount(**data, active=True, created_by=self.auth.username))
        self._sales_commit_or_name_taken()
        return TradeAccountView().dump(account)

    @rpc
    def update_trade_account(self, trade_account_id, payload):
        self.auth.require_role("site_manager")
        changes = load(TradeAccountChanges, payload)
        account = self._sales_trade_account(trade_account_id)
        if changes.get("name") and changes["name"] != account.name:
            self._sales_refuse_taken_account_name(account.site_id, changes["name"])
        for field, value in changes.items():
            setattr(account, field, value)
        self._sales_commit_or_name_taken()
        return TradeAccountView().dump(account)

    @rpc
    def get_trade_account(self, trade_account_id):
        return TradeAccountView().dump(self._sales_trade_account(trade_account_id))

    @rpc
    def list_trade_accounts(self, payload):
        query = load(TradeAccountQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(TradeAccount).where(TradeAccount.site_id == query["site_id"])
        if not query["include_inactive"]:
            statement = statement.where(TradeAccount.active.is_(True))
        return TradeAccountView(many=True).dump(self.db.scalars(statement.order_by(TradeAccount.name)).all())

    # --- counter sales ---

    @rpc
    def create_sale(self, payload):
        """A quote: each line priced at the retail price (less the trade discount and any line discount)."""
        self.auth.require_role("parts_clerk")
        data = load(NewCounterSale, payload)
        self.auth.require_site(data["site_id"])
        self._sales_check_line_discounts(data["lines"])
        account = self._sales_account_for_sale(data["trade_account_id"], data["site_id"])
        sale = CounterSale(
            site_id=data["site_id"], status=QUOTE, trade_account_id=account.id if account else None,
            customer_name=data["customer_name"], customer_phone=data["customer_phone"], note=data["note"],
            created_by=self.auth.username)
        self._sales_set_terms(sale, account)
        inventory = self._sales_inventory()
        parts = self._sales_parts_for_lines(inventory, [line["part_number"] for line in data["lines"]])
        sale.lines = [
            CounterSaleLine(site_id=sale.site_id, position=position, requested_part_number=line["part_number"],
                            part_number=part.part_number, description=part.name, quantity=line["quantity"],
                            unit_price=part.retail_price, trade_discount_percent=sale.trade_discount_percent,
                            discount_percent=line["discount_percent"], status=QUOTED, picked_from=[])
            for position, (line, part) in enumerate(zip(data["lines"], parts), start=1)]
        self._sales_price(sale)
        self.db.add(sale)
        self.db.commit()
        return self._counter_sale_view(sale)

    @rpc
    def get_sale(self, sale_id):
        return self._counter_sale_view(self._counter_sale(sale_id))

    @rpc
    def list_sales(self, payload):
        """A site's sales, newest first; phone numbers masked."""
        query = load(SaleQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(CounterSale).where(CounterSale.site_id == query["site_id"])
        if query["status"]:
            statement = statement.where(CounterSale.status == query["status"])
        if query["trade_account_id"]:
            statement = statement.where(CounterSale.trade_account_id == query["trade_account_id"])
        sales = self.db.scalars(statement.order_by(CounterSale.created_at.desc(), CounterSale.id)
                                .limit(query["limit"])).all()
        return self._counter_sale_views(sales, mask=True)

    @rpc
    def requote_sale(self, sale_id):
        """Re-price a quote at today's catalogue prices, trade discount and VAT rate; valid for another N days."""
        self.auth.require_role("parts_clerk")
        sale = self._counter_sale(sale_id, lock=True)
        sale_status_after(sale.status, "requote")
        account = sale.trade_account
        if account is not None and not account.active:
            raise Conflict(f"Trade account {account.name} is closed.", {"trade_account_id": ["Inactive."]})
        self._sales_set_terms(sale, account)
        inventory = self._sales_inventory()
        parts = self._sales_parts_for_lines(inventory, [line.requested_part_number for line in sale.lines])
        for line, part in zip(sale.lines, parts):
            line.part_number, line.description, line.unit_price = part.part_number, part.name, part.retail_price
            line.trade_discount_percent = sale.trade_discount_percent
        self._sales_price(sale)
        self.db.commit()
        return self._counter_sale_view(sale)

    @rpc
    def order_sale(self, sale_id, payload=None):
        """The customer takes the quote: each line's stock is reserved; a short line is backordered or left out."""
        self.auth.require_role("parts_clerk")
        choice = load(SaleOrder, payload or {})
        sale = self._counter_sale(sale_id, lock=True)
        sale_status_after(sale.status, "order")
        if quote_expired(sale.valid_until, self._sales_today()):
            raise Conflict(f"The quote's prices were held until {sale.valid_until.isoformat()}: requote it first.",
                           {"valid_until": [f"Expired after {sale.valid_until.isoformat()}."]})
        backorder = self._sales_backorder_choices(sale, choice)
        inventory = self._sales_inventory()
        for line in _in_lock_order(sale.lines):
            reservation = inventory.reserve(inventory.part(line.part_number), sale.site_id, line.quantity,
                                            line.reference, kind="counter_order", backorder=backorder[line.id])
            if reservation is None:
                line.status = NOT_SUPPLIED
            else:
                line.status, line.reservation_id = LINE_ORDERED, reservation.id
        if all(line.status == NOT_SUPPLIED for line in sale.lines):
            self.db.rollback()
            raise Conflict("Stock covers none of the lines: backorder them, or cancel the sale.",
                           {"backorder": ["No line would be supplied."]})
        sale.status, sale.ordered_at = sale_status_after(sale.status, "order"), utcnow()
        self._sales_total(sale)
        self.db.commit()
        return self._counter_sale_view(sale)

    @rpc
    def pick_sale(self, sale_id):
        """The reserved parts leave the store for the customer, first expiry first."""
        self.auth.require_role("parts_clerk")
        sale = self._counter_sale(sale_id, lock=True)
        sale_status_after(sale.status, "pick")
        supplied = [line for line in sale.lines if line.status == LINE_ORDERED]
        reservations = {line.id: self.db.get(Reservation, line.reservation_id) for line in supplied}
        waiting = [line for line in supplied if reservations[line.id].status != RESERVED]
        if waiting:
            raise Conflict(
                "Lines " + ", ".join(f"{line.position} ({line.part_number})" for line in waiting)
                + " still wait for stock: pick when it arrives, or cancel the sale.",
                {"lines": {str(line.position): [f"Is {reservations[line.id].status}."] for line in waiting}})
        inventory = self._sales_inventory()
        for line in _in_lock_order(supplied):
            reservation = reservations[line.id]
            picked = inventory.issue(reservation, reference=line.reference, kind="sale")
            line.status, line.unit_cost = LINE_PICKED, reservation.unit_cost
            line.picked_from = [{"lot_id": lot.id, "bin_code": lot.bin.code, "batch": lot.batch,
                                 "quantity": str(quantity)} for lot, quantity in picked]
        sale.status, sale.picked_at = sale_status_after(sale.status, "pick"), utcnow()
        self.db.commit()
        return self._counter_sale_view(sale)

    @rpc
    def invoice_sale(self, sale_id):
        """Number the sale's invoice (gapless per site and year) and announce parts_sold."""
        self.auth.require_role("parts_clerk")
        sale = self._counter_sale(sale_id, lock=True)
        sale.status = sale_status_after(sale.status, "invoice")
        sale.invoiced_at = utcnow()
        year = sale.invoiced_at.astimezone(self._sales_zone()).year
        sale.invoice_number = invoice_number(sale.site_id, year, _next_invoice_sequence(self.db, sale.site_id, year))
        sold = [line for line in sale.lines if line.status == LINE_PICKED]
        self.db.emit(PARTS_SOLD, {
            "sale_id": sale.id, "invoice_number": sale.invoice_number, "customer_kind": _customer_kind(sale),
            "trade_account_id": sale.trade_account_id,
            "lines": [{"line_id": line.id, "part_number": line.part_number,
                       "requested_part_number": line.requested_part_number, "quantity": str(line.quantity),
                       **{figure: str(getattr(line, figure))
                          for figure in ("unit_price", "discount", "net", "vat", "total", "unit_cost")}}
                      for line in sold],
            **{figure: str(getattr(sale, figure)) for figure in ("subtotal", "discount", "net", "vat", "total")},
            "invoiced_at": sale.invoiced_at.isoformat(),
        }, site_id=sale.site_id)
        self.db.commit()
        return self._counter_sale_view(sale)

    @rpc
    def cancel_sale(self, sale_id, payload):
        """Cancel a quote or an order before it is picked; reserved and backordered stock is released."""
        self.auth.require_role("parts_clerk")
        reason = load(SaleCancellation, payload)["reason"]
        sale = self._counter_sale(sale_id, lock=True)
        sale.status = sale_status_after(sale.status, "cancel")
        inventory = self._sales_inventory()
        for line in _in_lock_order(sale.lines):
            if line.reservation_id:
                reservation = self.db.get(Reservation, line.reservation_id)
                if reservation.status in (RESERVED, BACKORDERED):
                    inventory.release(reservation)
            if line.status != NOT_SUPPLIED:
                line.status = LINE_CANCELLED
        sale.cancelled_at, sale.cancel_reason = utcnow(), reason
        self.db.commit()
        return self._counter_sale_view(sale)

    # --- delivery orders ---

    @rpc
    def create_delivery_order(self, payload):
        """Take an invoiced sale to the customer's address."""
        self.auth.require_role("parts_clerk")
        data = load(NewDeliveryOrder, payload)
        sale = self._counter_sale(data["sale_id"], lock=True)
        if sale.status != INVOICED:
            raise Conflict(f"Only an invoiced sale is delivered; this one is {sale.status}.",
                           {"sale_id": [f"Sale is {sale.status}."]})
        if self.db.scalars(select(DeliveryOrder.id).where(DeliveryOrder.sale_id == sale.id)).first():
            raise Conflict(f"Invoice {sale.invoice_number} already has a delivery order.",
                           {"sale_id": ["Already has a delivery order."]})
        delivery = self.db.add(DeliveryOrder(id=new_id(), site_id=sale.site_id, sale=sale, sale_id=sale.id, status=SCHEDULED,
                                             created_by=self.auth.username, history=[], **{
                                                 key: value for key, value in data.items() if key != "sale_id"}))
        self._sales_record_delivery_status(delivery, None, SCHEDULED, "")
        try:
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            raise Conflict(f"Invoice {sale.invoice_number} already has a delivery order.",
                           {"sale_id": ["Already has a delivery order."]}) from None
        return self._delivery_order_view(delivery)

    @rpc
    def update_delivery_status(self, delivery_order_id, payload):
        """Out for delivery, delivered (with a proof of delivery note), failed (with the reason), rescheduled."""
        self.auth.require_role("parts_clerk")
        change = load(DeliveryStatusChange, payload)
        delivery = self._delivery_order(delivery_order_id, lock=True)
        previous = delivery.status
        status = delivery_status_after(previous, change["status"])
        if status in (DELIVERED, FAILED) and not change["note"].strip():
            raise InvalidInput(f"Say {'who received it' if status == DELIVERED else 'why it failed'}.", {
                "note": ["Proof of delivery required." if status == DELIVERED else "Reason required."]})
        if change["scheduled_for"] is not None and status != SCHEDULED:
            raise InvalidInput("A time is given only when scheduling again.",
                               {"scheduled_for": ["Only with status scheduled."]})
        if change["driver"]:
            delivery.driver = change["driver"]
        if change["scheduled_for"] is not None:
            delivery.scheduled_for = change["scheduled_for"]
        self._sales_record_delivery_status(delivery, previous, status, change["note"].strip())
        self.db.commit()
        return self._delivery_order_view(delivery)

    @rpc
    def get_delivery_order(self, delivery_order_id):
        return self._delivery_order_view(self._delivery_order(delivery_order_id))

    @rpc
    def list_delivery_orders(self, payload):
        query = load(DeliveryQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(DeliveryOrder).where(DeliveryOrder.site_id == query["site_id"])
        if query["status"]:
            statement = statement.where(DeliveryOrder.status == query["status"])
        deliveries = self.db.scalars(statement.order_by(DeliveryOrder.created_at.desc(), DeliveryOrder.id)
                                     .limit(query["limit"])).all()
        return [self._delivery_order_view(delivery, mask=True) for delivery in deliveries]

    # --- helpers: settings ---

    def _sales_vat_rate(self):
        rate = Decimal(str(self.config.get("SALES_VAT_RATE", DEFAULT_VAT_RATE)))
        if not ZERO <= rate < 1:
            raise ValueError(f"SALES_VAT_RATE must be a fraction such as 0.13, not {rate}")
        return rate

    def _sales_line_discount_limit(self):
        return Decimal(str(self.config.get("SALES_LINE_DISCOUNT_LIMIT_PERCENT", DEFAULT_LINE_DISCOUNT_LIMIT_PERCENT)))

    def _sales_zone(self):
        return ZoneInfo(str(self.config.get("SALES_TIME_ZONE", DEFAULT_TIME_ZONE)))

    def _sales_today(self):
        return utcnow().astimezone(self._sales_zone()).date()

    # --- helpers: pricing ---

    def _sales_set_terms(self, sale, account):
        """Terms a quote holds: trade discount, VAT rate, and the day its prices are held until."""
        sale.trade_discount_percent = account.discount_percent if account else ZERO
        sale.vat_rate = self._sales_vat_rate()
        sale.valid_until = self._sales_today() + timedelta(
            days=int(self.config.get("SALES_QUOTE_VALID_DAYS", DEFAULT_QUOTE_VALID_DAYS)))

    def _sales_price(self, sale):
        for line in sale.lines:
            amounts = price_line(line.quantity, line.unit_price, line.trade_discount_percent, line.discount_percent,
                                 sale.vat_rate)
            line.gross, line.discount, line.net, line.vat, line.total = (
                amounts.gross, amounts.discount, amounts.net, amounts.vat, amounts.total)
        self._sales_total(sale)

    def _sales_total(self, sale):
        totals = sale_totals(LineAmounts(line.gross, line.discount, line.net, line.vat, line.total)
                             for line in sale.lines if line.status != NOT_SUPPLIED)
        sale.subtotal, sale.discount, sale.net, sale.vat, sale.total = (
            totals.gross, totals.discount, totals.net, totals.vat, totals.total)

    def _sales_check_line_discounts(self, lines):
        limit = self._sales_line_discount_limit()
        problems = {index: {"discount_percent": [problem]} for index, line in enumerate(lines)
                    if (problem := line_discount_problem(line["discount_percent"], limit))}
        if problems:
            raise InvalidInput(f"A line discount may be at most {limit}%.", {"lines": problems})

    def _sales_parts_for_lines(self, inventory, part_numbers):
        """The part sold for each asked number (following supersession); unknown or withdrawn ones named by line."""
        parts, unknown, withdrawn = [], {}, {}
        for index, number in enumerate(part_numbers):
            try:
                part = inventory.part(number, follow_supersession=True)
            except NotFound:
                unknown[index] = {"part_number": [f"No part {number} in the catalogue."]}
                continue
            if not part.active:
                withdrawn[index] = {"part_number": [f"{part.part_number} is no longer sold."]}
            parts.append(part)
        if unknown:
            raise NotFound("Some lines name parts the catalogue does not have.", {"lines": unknown})
        if withdrawn:
            raise InvalidInput("Some lines name parts that are no longer sold.", {"lines": withdrawn})
        return parts

    def _sales_backorder_choices(self, sale, choice):
        lines = {line.id for line in sale.lines}
        strangers = {index: {"line_id": ["Not a line of this sale."]}
                     for index, line in enumerate(choice["line_choices"]) if line["line_id"] not in lines}
        if strangers:
            raise InvalidInput("Backorder choices name lines of another sale.", {"line_choices": strangers})
        chosen = {line["line_id"]: line["backorder"] for line in choice["line_choices"]}
        return {line_id: chosen.get(line_id, choice["backorder"]) for line_id in lines}

    # --- helpers: records ---

    def _sales_inventory(self):
        return Inventory(self.db, self.auth.username)

    def _sales_trade_account(self, trade_account_id):
        account = self.db.get(TradeAccount, str(trade_account_id))
        if account is None:
            raise NotFound(f"No trade account {trade_account_id}.", {"trade_account_id": ["Unknown trade account."]})
        self.auth.require_site(account.site_id)
        return account

    def _sales_account_for_sale(self, trade_account_id, site_id):
        if trade_account_id is None:
            return None
        account = self.db.get(TradeAccount, trade_account_id)
        if account is None or account.site_id != site_id:
            raise NotFound(f"No trade account {trade_account_id} at {site_id}.",
                           {"trade_account_id": ["Unknown trade account at this site."]})
        if not account.active:
            raise Conflict(f"Trade account {account.name} is closed.", {"trade_account_id": ["Inactive."]})
        return account

    def _sales_refuse_taken_account_name(self, site_id, name):
        if self.db.scalars(select(TradeAccount.id).where(TradeAccount.site_id == site_id,
                                                         TradeAccount.name == name)).first():
            raise Conflict(f"A trade account named {name} exists at {site_id}.", {"name": ["Already exists."]})

    def _sales_commit_or_name_taken(self):
        try:
            self.db.commit()
        except IntegrityError:  # the same name saved concurrently
            self.db.rollback()
            raise Conflict("A trade account with this name exists at this site.", {"name": ["Already exists."]}) \
                from None

    def _counter_sale(self, sale_id, lock=False):
        statement = select(CounterSale).where(CounterSale.id == str(sale_id))
        sale = self.db.scalars(statement.with_for_update() if lock else statement).one_or_none()
        if sale is None:
            raise NotFound(f"No counter sale {sale_id}.", {"sale_id": ["Unknown sale."]})
        self.auth.require_site(sale.site_id)
        return sale

    def _delivery_order(self, delivery_order_id, lock=False):
        statement = select(DeliveryOrder).where(DeliveryOrder.id == str(delivery_order_id))
        delivery = self.db.scalars(statement.with_for_update() if lock else statement).one_or_none()
        if delivery is None:
            raise NotFound(f"No delivery order {delivery_order_id}.",
                           {"delivery_order_id": ["Unknown delivery order."]})
        self.auth.require_site(delivery.site_id)
        return delivery

    def _sales_record_delivery_status(self, delivery, previous, status, note):
        at = utcnow()
        delivery.status = status
        if status == OUT_FOR_DELIVERY:
            delivery.out_for_delivery_at = at
        elif status == DELIVERED:
            delivery.delivered_at, delivery.proof_of_delivery = at, note
        elif status == FAILED:
            delivery.failed_at = at
        delivery.history = [*delivery.history, {"status": status, "at": at.isoformat(), "by": self.auth.username,
                                                "note": note}]
        self.db.emit(DELIVERY_ORDER_UPDATED, {
            "delivery_order_id": delivery.id, "sale_id": delivery.sale_id,
            "invoice_number": delivery.sale.invoice_number, "status": status, "previous_status": previous,
            "carrier": delivery.carrier, "driver": delivery.driver,
            "scheduled_for": delivery.scheduled_for.isoformat() if delivery.scheduled_for else None,
            "at": at.isoformat(),
        }, site_id=delivery.site_id)

    # --- helpers: views ---

    def _counter_sale_view(self, sale, mask=False):
        return self._counter_sale_views([sale], mask)[0]

    def _counter_sale_views(self, sales, mask):
        reservation_ids = [line.reservation_id for sale in sales for line in sale.lines if line.reservation_id]
        stock_status = dict(self.db.execute(select(Reservation.id, Reservation.status).where(
            Reservation.id.in_(reservation_ids))).all()) if reservation_ids else {}
        today = self._sales_today()
        return CounterSaleView(many=True).dump([{
            **columns(sale),
            "allowed_actions": allowed_sale_actions(sale.status),
            "customer_kind": _customer_kind(sale),
            "trade_account_name": sale.trade_account.name if sale.trade_account else None,
            "customer_phone": mask_phone(sale.customer_phone) if mask else sale.customer_phone,
            "quote_expired": sale.status == QUOTE and quote_expired(sale.valid_until, today),
            "lines": [{**columns(line), "stock_status": stock_status.get(line.reservation_id)}
                      for line in sale.lines],
        } for sale in sales])

    def _delivery_order_view(self, delivery, mask=False):
        return DeliveryOrderView().dump({
            **columns(delivery),
            "invoice_number": delivery.sale.invoice_number,
            "allowed_statuses": DELIVERY_TRANSITIONS[delivery.status],
            "contact_phone": mask_phone(delivery.contact_phone) if mask else delivery.contact_phone,
        })



def _customer_kind(sale):
    return "trade" if sale.trade_account_id else "retail"


def _in_lock_order(lines):
    """Lines in part-number order: two sales taking the same parts lock their stock rows in the same order."""
    return sorted(lines, key=lambda line: (line.part_number, line.position))


def _next_invoice_sequence(db, site_id, year):
    """The site's next invoice number in `year`, counted in this transaction (the counter row stays locked
    until commit, so concurrent invoices queue and a rolled-back one gives its number back)."""
    table = InvoiceCounter.__table__
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(site_id=site_id, year=year, last_number=1).on_conflict_do_update(
        index_elements=[table.c.site_id, table.c.year], set_={"last_number": table.c.last_number + 1},
    ).returning(table.c.last_number)
    return db.execute(statement).scalar_one()

