"""Catalogue and stock: the parts service."""
from apigateway.http import api
from contracts import parts as c


class PartsRoutes:
    # --- catalogue ---

    @api("POST", "/api/v1/parts", tag="parts", body=c.NewPart, answer=c.PartView, status=201,
         summary="Add a part to the catalogue")
    def create_part(self, body):
        return self.parts.create_part(body)

    @api("GET", "/api/v1/parts", tag="parts", query=c.PartSearch, answer=c.PartView, many=True,
         summary="Find parts by number or name, category, brand, or the model they fit")
    def search_parts(self, query):
        return self.parts.search_parts(query)

    @api("GET", "/api/v1/parts/<part_number>", tag="parts", answer=c.PartView, summary="A catalogue part")
    def get_part(self, part_number):
        return self.parts.get_part(part_number)

    @api("GET", "/api/v1/parts/<part_number>/current", tag="parts", answer=c.PartView,
         summary="The part sold today for this number, following supersession")
    def current_part(self, part_number):
        return self.parts.current_part(part_number)

    @api("PATCH", "/api/v1/parts/<part_number>", tag="parts", body=c.PartChanges, answer=c.PartView,
         summary="Change a part: names, prices, fitment, supersession")
    def update_part(self, part_number, body):
        return self.parts.update_part(part_number, body)

    # --- places ---

    @api("POST", "/api/v1/warehouses", tag="parts", body=c.NewWarehouse, answer=c.WarehouseView, status=201,
         summary="Add a warehouse to a site")
    def create_warehouse(self, body):
        return self.parts.create_warehouse(body)

    @api("POST", "/api/v1/bins", tag="parts", body=c.NewBin, answer=c.BinView, status=201,
         summary="Add a bin to a warehouse")
    def create_bin(self, body):
        return self.parts.create_bin(body)

    @api("GET", "/api/v1/sites/<site_id>/bins", tag="parts", answer=c.BinView, many=True,
         summary="The bins of a site")
    def list_bins(self, site_id):
        return self.parts.list_bins(site_id)

    # --- stock ---

    @api("POST", "/api/v1/stock/receipts", tag="parts", body=c.StockReceipt, answer=c.StockView, status=201,
         summary="Put parts into stock at a site, into a bin and batch; waiting backorders are served")
    def receive_stock(self, body):
        return self.parts.receive_stock(body)

    @api("PUT", "/api/v1/stock/policy", tag="parts", body=c.StockPolicy, answer=c.StockView,
         summary="Set a part's reorder point and quantity at a site")
    def set_stock_policy(self, body):
        return self.parts.set_stock_policy(body)

    @api("GET", "/api/v1/stock/<site_id>/<part_number>", tag="parts", answer=c.StockView,
         summary="Stock of a part at a site: on hand, reserved, available, backordered")
    def get_stock(self, site_id, part_number):
        return self.parts.get_stock(site_id, part_number)

    @api("GET", "/api/v1/lots", tag="parts", query=c.LotQuery, answer=c.LotView, many=True,
         summary="Stock by bin and batch, e.g. what expires within N days")
    def list_lots(self, query):
        return self.parts.list_lots(query)

    @api("GET", "/api/v1/stock-movements", tag="parts", query=c.MovementQuery, answer=c.MovementView, many=True,
         summary="The stock ledger: every receipt, issue, return, write-off and adjustment")
    def list_movements(self, query):
        return self.parts.list_movements(query)

    @api("POST", "/api/v1/stock/returns", tag="parts", body=c.ReturnToStock, answer=c.ReservationView,
         summary="Issued parts come back to stock unused")
    def return_to_stock(self, body):
        return self.parts.return_to_stock(body)

    @api("POST", "/api/v1/stock/write-offs", tag="parts", body=c.WriteOff, answer=c.StockView,
         summary="Write off damaged, expired or lost stock")
    def write_off(self, body):
        return self.parts.write_off(body)

    @api("POST", "/api/v1/stock/expiry-alerts", tag="parts", summary="Raise batch_expiring now for batches that "
         "expire within the alert window (the service also does this every hour)")
    def alert_expiring_batches(self):
        return {"alerted": self.parts.alert_expiring_batches()}

    # --- reservations ---

    @api("POST", "/api/v1/reservations", tag="parts", body=c.ReservationRequest, answer=c.ReservationView,
         status=201, summary="Set stock aside for a demand; backordered when short")
    def reserve(self, body):
        return self.parts.reserve(body)

    @api("GET", "/api/v1/reservations/<reservation_id>", tag="parts", answer=c.ReservationView,
         summary="A reservation")
    def get_reservation(self, reservation_id):
        return self.parts.get_reservation(reservation_id)

    @api("POST", "/api/v1/reservations/<reservation_id>/release", tag="parts", answer=c.ReservationView,
         summary="Give reserved (or backordered) stock back; waiting backorders are served")
    def release_reservation(self, reservation_id):
        return self.parts.release_reservation(reservation_id)

    @api("POST", "/api/v1/reservations/<reservation_id>/issue", tag="parts", answer=c.ReservationView,
         summary="Hand reserved parts over the counter, first expiry first")
    def issue_reservation(self, reservation_id):
        return self.parts.issue_reservation({"reservation_id": reservation_id})
