"""Stocktake: count sessions (full or cycle), blind counts, variance approval and posting, accuracy.

A count opens (parts_clerk) with a snapshot of the lots in scope, is counted line by line (stock
found where the books have none becomes a new line), submitted (variances at average cost), approved
or partly sent back for a recount (site_manager), and posted: each variance becomes an "adjustment"
in the stock ledger through Inventory, referenced "stocktake:<id>". The bins are not frozen while a
count is open; parts.rules.stocktake says how movements meanwhile are kept.
"""
from collections import defaultdict
from contextlib import contextmanager

from nameko.rpc import rpc
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from contracts.parts import (
    STOCKTAKE_POSTED, NewStocktake, RecountRequest, StocktakeAccuracyQuery, StocktakeAccuracyView, StocktakeCounts,
    StocktakeQuery, StocktakeSummaryView, StocktakeView,
)
from parts.models import Bin, Lot, Part, Stock, Warehouse
from parts.models.stocktake import Stocktake, StocktakeLine
from parts.rules.stocktake import (
    APPROVED, CANCELLED, OPEN, POSTED, SUBMITTED, ZERO, counting_key, figures, line_variance, period_bounds,
    period_figures, posting_order, require_status, reservation_shortfall,
)
from svckit.db import columns, utcnow
from svckit.errors import Conflict, InvalidInput, NotFound
from svckit.schemas import load

FIGURE_COLUMNS = ("lines_with_variance", "quantity_variance", "value_variance", "gross_value_variance",
                  "expected_value", "accuracy", "value_accuracy")  # with line_count: the figures of a submitted count


class StocktakeApi:
    # --- counting ---

    @rpc
    def open_stocktake(self, payload):
        """Open a count: every lot in scope with stock on the books becomes a line, in bin order."""
        self.auth.require_role("parts_clerk")
        data = load(NewStocktake, payload)
        site_id = data["site_id"]
        self.auth.require_site(site_id)
        statement = (select(Lot, Bin, Warehouse).join(Bin, Lot.bin_id == Bin.id)
                     .join(Warehouse, Bin.warehouse_id == Warehouse.id).join(Part, Lot.part_number == Part.part_number)
                     .where(Lot.site_id == site_id, Lot.quantity > 0))
        bins = []
        if data["scope"] == "category":
            known = set(self.db.scalars(select(Part.category).where(Part.category.in_(data["categories"]))))
            unknown = [c for c in data["categories"] if c not in known]
            if unknown:
                raise InvalidInput(f"No part in the catalogue has the category {', '.join(unknown)}.",
                                   {"categories": [f"Unknown category: {c}." for c in unknown]})
            statement = statement.where(Part.category.in_(data["categories"]))
        elif data["scope"] == "bins":
            bins = self._bins_named(site_id, data["bins"])
            statement = statement.where(Lot.bin_id.in_([bin.id for bin, _ in bins]))
        rows = self.db.execute(statement.order_by(Warehouse.code, Bin.code, Lot.part_number, Lot.batch)).all()

        self._refuse_lots_in_another_count(site_id, {counting_key(lot.bin_id, lot.part_number, lot.batch)
                                                     for lot, _, _ in rows})
        with self._claiming_lots():
            stocktake = self._new_stocktake(data, bins, rows)
        return self._stocktake_view(stocktake)

    @rpc
    def get_stocktake(self, stocktake_id):
        """A count with its lines; a blind count hides the books while it is being counted."""
        return self._stocktake_view(self._stocktake(stocktake_id))

    @rpc
    def list_stocktakes(self, payload):
        query = load(StocktakeQuery, payload)
        self.auth.require_site(query["site_id"])
        statement = select(Stocktake).where(Stocktake.site_id == query["site_id"])
        if query["status"]:
            statement = statement.where(Stocktake.status == query["status"])
        found = self.db.scalars(statement.order_by(Stocktake.opened_at.desc()).limit(query["limit"])).all()
        tallies = self._line_tallies([stocktake.id for stocktake in found])
        return [StocktakeSummaryView().dump(self._summary(stocktake, *tallies.get(stocktake.id, (0, 0))))
                for stocktake in found]

    @rpc
    def enter_stocktake_counts(self, stocktake_id, payload):
        """Counted quantities by line (again to correct one), and stock found where the books have none.

        Each count takes the line's expected quantity from the books as they are at that moment.
        """
        self.auth.require_role("parts_clerk")
        data = load(StocktakeCounts, payload)
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "enter counts for")
        lines = {line.line_no: line for line in stocktake.lines}
        books = self._lots_now([lines[e["line_no"]] for e in data["counts"] if e["line_no"] in lines])
        for index, entry in enumerate(data["counts"]):
            line = lines.get(entry["line_no"])
            if line is None:
                raise InvalidInput(f"Stocktake has no line {entry['line_no']}.",
                                   {"counts": {index: {"line_no": ["No such line in this count."]}}})
            if line.count_round != stocktake.count_round:
                raise Conflict(f"Line {line.line_no} is settled: only the lines sent back for a recount are counted "
                               f"in round {stocktake.count_round}.",
                               {"counts": {index: {"line_no": ["Not sent back for a recount."]}}})
            self._record_count(line, books.get(line.id), entry["counted_quantity"])
        next_number = max(lines, default=0) + 1
        with self._claiming_lots():
            for index, entry in enumerate(data["found"]):
                self._found_line(stocktake, entry, index, next_number + index)
        return self._stocktake_view(stocktake)

    @rpc
    def submit_stocktake(self, stocktake_id):
        """Every line counted: the variances are worked out (at average cost) and the books shown."""
        self.auth.require_role("parts_clerk")
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "submit")
        if not stocktake.lines:
            raise Conflict("Nothing was counted: the count has no lines.", {"lines": ["None."]})
        uncounted = [line for line in stocktake.lines if line.counted_quantity is None]
        if uncounted:
            raise Conflict(f"{len(uncounted)} line(s) not counted yet: enter 0 for an empty place.",
                           {"lines": [f"Line {line.line_no} ({_place(line)}) is not counted." for line in uncounted]})
        unit_costs = self._unit_costs(stocktake.site_id, {line.part_number for line in stocktake.lines})
        for line in stocktake.lines:
            line.unit_cost = unit_costs[line.part_number]
            line.quantity_variance, line.value_variance = line_variance(
                line.expected_quantity, line.counted_quantity, line.unit_cost)
        self._set_figures(stocktake, figures(stocktake.lines))
        stocktake.status, stocktake.submitted_at, stocktake.submitted_by = SUBMITTED, utcnow(), self.auth.username
        stocktake.approved_at = stocktake.approved_by = None
        self.db.commit()
        return self._stocktake_view(stocktake)

    # --- approval ---

    @rpc
    def approve_stocktake(self, stocktake_id):
        self.auth.require_role("site_manager")
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "approve")
        stocktake.status, stocktake.approved_at, stocktake.approved_by = APPROVED, utcnow(), self.auth.username
        self.db.commit()
        return self._stocktake_view(stocktake)

    @rpc
    def request_stocktake_recount(self, stocktake_id, payload):
        """Send some lines back to be counted again; the count is open again for those lines only."""
        self.auth.require_role("site_manager")
        data = load(RecountRequest, payload)
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "send lines back for a recount of")
        lines = {line.line_no: line for line in stocktake.lines}
        unknown = sorted({n for n in data["line_nos"] if n not in lines})
        if unknown:
            raise InvalidInput(f"Stocktake has no line {', '.join(map(str, unknown))}.",
                               {"line_nos": [f"No line {n} in this count." for n in unknown]})
        stocktake.count_round += 1
        for number in sorted(set(data["line_nos"])):
            line = lines[number]
            line.previous_count, line.counted_quantity = line.counted_quantity, None
            line.counted_at = line.counted_by = None
            line.quantity_variance = line.value_variance = line.unit_cost = None
            line.count_round, line.recount_reason = stocktake.count_round, data["reason"]
        self._set_figures(stocktake, None)
        stocktake.status = OPEN
        stocktake.submitted_at = stocktake.submitted_by = stocktake.approved_at = stocktake.approved_by = None
        self.db.commit()
        return self._stocktake_view(stocktake)

    @rpc
    def post_stocktake(self, stocktake_id):
        """Book the approved variances: each lot moves by counted - expected from what the books hold now.

        Never below what is reserved: a shortage that would break reservations is refused, naming its line.
        """
        self.auth.require_role("parts_clerk", "site_manager")
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "post")
        inventory = self._inventory()
        changes = defaultdict(list)  # part -> [(line, delta)]
        for line in stocktake.lines:
            if line.quantity_variance:
                changes[line.part_number].append((line, line.quantity_variance))
        stocks = {part: inventory.stock(stocktake.site_id, part) for part in sorted(changes)}  # locked, in order
        lots = self._lots_now([line for part in changes for line, _ in changes[part]], lock=True)

        problems = []
        for part, part_changes in changes.items():
            stock = stocks[part]
            shortfall = reservation_shortfall(stock.on_hand, stock.reserved, part_changes)
            if shortfall:
                problems += [f"Line {line.line_no} ({_place(line)}): short {-delta} would leave {part} {shortfall} "
                             f"below the {stock.reserved} reserved; release reservations or recount."
                             for line, delta in part_changes if delta < 0]
            for line, delta in part_changes:
                held = lots[line.id].quantity if lots.get(line.id) is not None else ZERO
                if held + delta < 0:
                    problems.append(f"Line {line.line_no} ({_place(line)}): short {-delta} but the books now hold "
                                    f"only {held} there; recount it.")
        if problems:
            raise Conflict(f"Posting would break the books: {problems[0]}", {"lines": problems})

        for part, part_changes in changes.items():
            for line, delta in posting_order(part_changes, stocks[part].available):
                self._book(inventory, stocktake, line, lots.get(line.id), delta)
        for line in stocktake.lines:
            line.posted_quantity = line.quantity_variance
        stocktake.status, stocktake.posted_at, stocktake.posted_by = POSTED, utcnow(), self.auth.username
        for line in stocktake.lines:
            line.counting_key = None
        self.db.emit(STOCKTAKE_POSTED, {
            "stocktake_id": stocktake.id, "scope": stocktake.scope, "lines": stocktake.line_count,
            "lines_with_variance": stocktake.lines_with_variance,
            **{column: str(getattr(stocktake, column)) for column in (
                "quantity_variance", "value_variance", "expected_value", "accuracy", "value_accuracy")},
        }, site_id=stocktake.site_id)
        self.db.commit()
        return self._stocktake_view(stocktake)

    @rpc
    def cancel_stocktake(self, stocktake_id):
        """Drop a count that will not be posted; its lots may be counted by another."""
        self.auth.require_role("site_manager")
        stocktake = self._stocktake(stocktake_id, lock=True)
        require_status(stocktake, "cancel")
        stocktake.status, stocktake.cancelled_at, stocktake.cancelled_by = CANCELLED, utcnow(), self.auth.username
        for line in stocktake.lines:
            line.counting_key = None
        self.db.commit()
        return self._stocktake_view(stocktake)

    # --- accuracy ---

    @rpc
    def stocktake_accuracy(self, payload):
        """Inventory accuracy of a site over the counts posted in a period (calendar days in China time)."""
        query = load(StocktakeAccuracyQuery, payload)
        self.auth.require_site(query["site_id"])
        start, end = period_bounds(query["date_from"], query["date_to"])
        posted = self.db.scalars(select(Stocktake).where(
            Stocktake.site_id == query["site_id"], Stocktake.status == POSTED,
            Stocktake.posted_at >= start, Stocktake.posted_at < end)).all()
        totals = period_figures(
            {"lines": s.line_count, **{column: getattr(s, column) for column in FIGURE_COLUMNS}} for s in posted)
        return StocktakeAccuracyView().dump({**query, **totals})

    # --- helpers ---

    def _stocktake(self, stocktake_id, lock=False):
        statement = select(Stocktake).where(Stocktake.id == str(stocktake_id))
        stocktake = self.db.scalars(statement.with_for_update() if lock else statement).one_or_none()
        if stocktake is None:
            raise NotFound(f"No stocktake {stocktake_id}.", {"stocktake_id": ["Unknown stocktake."]})
        self.auth.require_site(stocktake.site_id)
        return stocktake

    def _new_stocktake(self, data, bins, rows):
        """The count and a line per lot in scope, numbered in the order a counter walks the bins."""
        site_id = data["site_id"]
        stocktake = self.db.add(Stocktake(
            site_id=site_id, scope=data["scope"], categories=sorted(set(data["categories"])),
            bins=[{"warehouse_code": w.code, "bin_code": b.code} for b, w in bins], blind=data["blind"],
            note=data["note"], status=OPEN, count_round=1, opened_at=utcnow(), opened_by=self.auth.username))
        self.db.flush()
        for number, (lot, bin, warehouse) in enumerate(rows, start=1):
            self.db.add(StocktakeLine(
                stocktake_id=stocktake.id, site_id=site_id, line_no=number, lot_id=lot.id, bin_id=bin.id,
                warehouse_code=warehouse.code, bin_code=bin.code, part_number=lot.part_number, batch=lot.batch,
                expiry_date=lot.expiry_date, found=False, opened_quantity=lot.quantity,
                expected_quantity=lot.quantity, count_round=1,
                counting_key=counting_key(bin.id, lot.part_number, lot.batch)))
        return stocktake

    def _bins_named(self, site_id, named):
        found, unknown = [], []
        for wanted in named:
            row = self.db.execute(select(Bin, Warehouse).join(Warehouse, Bin.warehouse_id == Warehouse.id).where(
                Warehouse.site_id == site_id, Warehouse.code == wanted["warehouse_code"],
                Bin.code == wanted["bin_code"])).one_or_none()
            if row is None:
                unknown.append(f"{wanted['warehouse_code']}/{wanted['bin_code']}")
            elif row not in found:
                found.append(row)
        if unknown:
            raise NotFound(f"No bin {', '.join(unknown)} at site {site_id}.",
                           {"bins": [f"Unknown bin {name}." for name in unknown]})
        return [(bin, warehouse) for bin, warehouse in found]

    def _refuse_lots_in_another_count(self, site_id, keys, this_stocktake_id=None):
        if not keys:
            return
        held = self.db.execute(select(StocktakeLine.counting_key, StocktakeLine.stocktake_id)
                               .where(StocktakeLine.site_id == site_id, StocktakeLine.counting_key.is_not(None))).all()
        clashes = sorted({stocktake_id for key, stocktake_id in held
                          if key in keys and stocktake_id != this_stocktake_id})
        if clashes:
            raise Conflict(f"Some of this stock is being counted by stocktake {', '.join(clashes)}: post or cancel "
                           "that count first.", {"scope": [f"Overlaps open stocktake {s}." for s in clashes]})

    @contextmanager
    def _claiming_lots(self):
        """Add lines and commit; a lot another count claimed at the same moment is a Conflict, not an error."""
        try:
            yield
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            raise Conflict("Another stocktake took some of this stock into its count just now; try again.",
                           {"scope": ["Overlaps another open stocktake."]}) from None

    def _record_count(self, line, lot, counted):
        """The count, against the books as they are now (`lot` freshly read; None where the books have none)."""
        line.lot_id = lot.id if lot is not None else line.lot_id
        line.expected_quantity = lot.quantity if lot is not None else ZERO
        line.counted_quantity, line.counted_at, line.counted_by = counted, utcnow(), self.auth.username

    def _current_lot(self, line):
        """The lot a line counts, as the books hold it now (None while found stock has no lot yet)."""
        statement = select(Lot).where(Lot.id == line.lot_id) if line.lot_id else select(Lot).where(
            Lot.bin_id == line.bin_id, Lot.part_number == line.part_number, Lot.batch == line.batch)
        return self.db.scalars(statement.execution_options(populate_existing=True)).one_or_none()

    def _found_line(self, stocktake, entry, index, line_no):
        inventory = self._inventory()
        try:
            part = inventory.part(entry["part_number"])
            bin = inventory.bin(stocktake.site_id, entry["warehouse_code"], entry["bin_code"])
        except NotFound as missing:
            raise NotFound(missing.message, {"found": {index: missing.details}}) from None
        if part.tracks_batches and (not entry["batch"] or entry["expiry_date"] is None):
            raise InvalidInput(f"{part.part_number} has a shelf life: give the batch and expiry date found.",
                               {"found": {index: {
                                   "batch": ["Required for a part with a shelf life."] if not entry["batch"] else [],
                                   "expiry_date": ["Required for a part with a shelf life."]
                                   if entry["expiry_date"] is None else []}}})
        self._require_in_scope(stocktake, part, bin, index)
        key = counting_key(bin.id, part.part_number, entry["batch"])
        same = next((line for line in stocktake.lines if line.counting_key == key), None)
        if same is not None:
            raise Conflict(f"Line {same.line_no} already counts {part.part_number} in {_place(same)}: "
                           "enter the count on that line.", {"found": {index: {"part_number": [
                               f"Already line {same.line_no}."]}}})
        self._refuse_lots_in_another_count(stocktake.site_id, {key}, stocktake.id)
        line = self.db.add(StocktakeLine(
            stocktake_id=stocktake.id, site_id=stocktake.site_id, line_no=line_no, lot_id=None, bin_id=bin.id,
            warehouse_code=bin.warehouse.code, bin_code=bin.code, part_number=part.part_number, batch=entry["batch"],
            expiry_date=entry["expiry_date"], found=True, opened_quantity=ZERO, expected_quantity=ZERO,
            count_round=stocktake.count_round, recount_reason="", counting_key=key))
        stocktake.lines.append(line)
        self._record_count(line, self._current_lot(line), entry["counted_quantity"])
        return line

    def _require_in_scope(self, stocktake, part, bin, index):
        outside = None
        if stocktake.scope == "category" and part.category not in stocktake.categories:
            outside = {"part_number": [f"Category {part.category} is not in this count."]}
        elif stocktake.scope == "bins" and {"warehouse_code": bin.warehouse.code, "bin_code": bin.code} \
                not in stocktake.bins:
            outside = {"bin_code": [f"Bin {bin.warehouse.code}/{bin.code} is not in this count."]}
        if outside:
            raise InvalidInput("The stock found is outside this count's scope.", {"found": {index: outside}})

    def _unit_costs(self, site_id, part_numbers):
        """Each part's average cost at the site; the catalogue cost where the site never valued it."""
        average = dict(self.db.execute(select(Stock.part_number, Stock.average_cost).where(
            Stock.site_id == site_id, Stock.part_number.in_(part_numbers))).all()) if part_numbers else {}
        catalogue = dict(self.db.execute(select(Part.part_number, Part.cost_price).where(
            Part.part_number.in_(part_numbers))).all()) if part_numbers else {}
        return {number: average[number] if average.get(number) else catalogue[number] for number in part_numbers}

    def _lots_now(self, lines, lock=False):
        """{line id: its lot as the books hold it now, or None} (locked for posting when `lock`)."""
        lot_ids = {line.lot_id for line in lines if line.lot_id}
        statement = select(Lot).where(Lot.id.in_(lot_ids)).execution_options(populate_existing=True)
        fresh = {lot.id: lot for lot in self.db.scalars(statement.with_for_update(of=Lot) if lock else statement)
                 } if lot_ids else {}
        return {line.id: fresh.get(line.lot_id) if line.lot_id else self._current_lot(line) for line in lines}

    def _book(self, inventory, stocktake, line, lot, delta):
        reason = f"stocktake line {line.line_no}"
        try:
            if lot is not None:
                inventory.adjust(lot, lot.quantity + delta, stocktake.reference, reason=reason)
            else:
                part = inventory.part(line.part_number)
                bin = self.db.get(Bin, line.bin_id)
                lot = inventory.found(part, bin, delta, stocktake.reference, batch=line.batch,
                                      expiry_date=line.expiry_date, reason=reason)
                line.lot_id = lot.id
        except Conflict as refused:
            self.db.rollback()
            raise Conflict(f"Line {line.line_no} ({_place(line)}) cannot be posted: {refused.message}",
                           {"lines": [f"Line {line.line_no}: {refused.message}"]}) from None

    @staticmethod
    def _set_figures(stocktake, totals):
        stocktake.line_count = totals["lines"] if totals else None
        for column in FIGURE_COLUMNS:
            setattr(stocktake, column, totals[column] if totals else None)

    def _line_tallies(self, stocktake_ids):
        """{stocktake id: (lines, lines of the present round not counted yet)}."""
        if not stocktake_ids:
            return {}
        waiting = case((StocktakeLine.counted_quantity.is_(None) & (StocktakeLine.count_round == Stocktake.count_round),
                        1), else_=0)
        rows = self.db.execute(select(StocktakeLine.stocktake_id, func.count(), func.sum(waiting))
                               .join(Stocktake, StocktakeLine.stocktake_id == Stocktake.id)
                               .where(StocktakeLine.stocktake_id.in_(stocktake_ids))
                               .group_by(StocktakeLine.stocktake_id)).all()
        return {stocktake_id: (lines, int(to_count or 0)) for stocktake_id, lines, to_count in rows}

    @staticmethod
    def _summary(stocktake, line_count, lines_to_count):
        shown = columns(stocktake)
        return {
            **shown, "line_count": line_count, "lines_to_count": lines_to_count,
            "figures": {"lines": stocktake.line_count, **{column: shown[column] for column in FIGURE_COLUMNS}}
            if stocktake.status in (SUBMITTED, APPROVED, POSTED) else None,
        }

    def _stocktake_view(self, stocktake):
        hidden = self._hides_books(stocktake)
        lines = []
        for line in stocktake.lines:
            shown = columns(line)
            shown["to_count"] = stocktake.status == OPEN and line.count_round == stocktake.count_round
            if hidden:
                shown["opened_quantity"] = shown["expected_quantity"] = None
                shown["quantity_variance"] = shown["value_variance"] = shown["unit_cost"] = None
            lines.append(shown)
        to_count = sum(1 for line in lines if line["to_count"] and line["counted_quantity"] is None)
        return StocktakeView().dump({**self._summary(stocktake, len(lines), to_count), "expected_hidden": hidden,
                                     "lines": lines})

    @staticmethod
    def _hides_books(stocktake):
        return stocktake.blind and stocktake.status == OPEN


def _place(line):
    batch = f" batch {line.batch}" if line.batch else ""
    return f"{line.warehouse_code}/{line.bin_code} {line.part_number}{batch}"
