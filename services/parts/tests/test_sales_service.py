"""Counter sales and delivery orders on the real broker and PostgreSQL: prices to the cent, the life cycle's
effects on stock and the ledger, gapless invoice numbers under concurrency, bad input and wrong sites."""
import logging
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from parts.models import Base
from parts.service import PartsService
from svckit.auth import Caller
from svckit.db import create_engine_for
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.migrations import differences

SITE, OTHER_SITE = "SITE-1", "SITE-2"
SALES_TABLES = {"sales_trade_accounts", "counter_sales", "counter_sale_lines", "counter_sale_invoice_counters",
                "sales_delivery_orders"}
PHONE = "13812345678"

CLERK = Caller(user_id="u-clerk", username="clerk.wang", roles=frozenset({"parts_clerk"}), sites=frozenset({SITE}))
MANAGER = Caller(user_id="u-manager", username="manager.li", roles=frozenset({"site_manager"}),
                 sites=frozenset({SITE}))
OTHER_CLERK = Caller(user_id="u-other", username="clerk.zhao", roles=frozenset({"parts_clerk"}),
                     sites=frozenset({OTHER_SITE}))


def shanghai_today():
    return datetime.now(timezone.utc).astimezone(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
def parts(container_factory, service_config):
    container = container_factory(PartsService, service_config("parts"))
    container.start()
    return container


@pytest.fixture
def client(parts, rpc):
    return rpc().parts


@pytest.fixture
def clerk(parts, rpc):
    return rpc(caller=CLERK).parts


def new_part(client, retail_price="35.00", cost_price="20.00", stock="10", site=SITE, **extra):
    number = f"P-{uuid.uuid4().hex[:8].upper()}"
    client.create_part({"part_number": number, "name": "刹车片", "name_en": "Brake pads", "cost_price": cost_price,
                        "retail_price": retail_price, **extra})
    if Decimal(stock):
        receive(client, number, stock, site=site)
    return number


def receive(client, number, quantity, site=SITE, **extra):
    return client.receive_stock({"site_id": site, "part_number": number, "quantity": quantity, **extra})


def quote(client, *lines, site=SITE, **customer):
    customer = customer or {"customer_name": "王先生", "customer_phone": PHONE}
    return client.create_sale({"site_id": site, **customer, "lines": [
        line if isinstance(line, dict) else {"part_number": line[0], "quantity": line[1]} for line in lines]})


def sold(client, *lines, site=SITE):
    sale = quote(client, *lines, site=site)
    client.order_sale(sale["sale_id"], {})
    return client.pick_sale(sale["sale_id"])


def stock_of(client, number, site=SITE):
    stock = client.get_stock(site, number)
    return stock["on_hand"], stock["reserved"], f"{Decimal(stock['backordered']):.2f}"  # "0" when none waits


def sql(parts, statement, **params):
    engine = create_engine_for(parts.config["DATABASE_URL"])
    with engine.begin() as conn:
        result = conn.execute(text(statement), params)
        rows = result.all() if result.returns_rows else None
    engine.dispose()
    return rows


# --- prices ---

def test_a_retail_quote_adds_up_to_the_cent_and_moves_no_stock(client):
    pads, oil = new_part(client, retail_price="33.33"), new_part(client, retail_price="10.01")
    sale = quote(client, {"part_number": pads, "quantity": "3", "discount_percent": "5"},
                 {"part_number": oil, "quantity": "2.5"})

    first, second = sale["lines"]
    # 3 x 33.33 = 99.99, less 5% = 94.9905 -> 94.99, VAT 12.3487 -> 12.35
    assert (first["gross"], first["discount"], first["net"], first["vat"], first["total"]) == (
        "99.99", "5.00", "94.99", "12.35", "107.34")
    # 2.5 x 10.01 = 25.025 -> 25.03 (half up), VAT 3.2539 -> 3.25
    assert (second["gross"], second["discount"], second["net"], second["vat"], second["total"]) == (
        "25.03", "0.00", "25.03", "3.25", "28.28")
    assert (sale["subtotal"], sale["discount"], sale["net"], sale["vat"], sale["total"]) == (
        "125.02", "5.00", "120.02", "15.60", "135.62")
    assert (sale["status"], sale["customer_kind"], sale["vat_rate"], sale["trade_discount_percent"]) == (
        "quote", "retail", "0.1300", "0.00")
    assert sale["allowed_actions"] == ["requote", "order", "cancel"]
    assert sale["valid_until"] == (shanghai_today() + timedelta(days=7)).isoformat()
    assert (first["unit_price"], first["description"], first["status"]) == ("33.33", "刹车片", "quoted")
    assert stock_of(client, pads) == ("10.00", "0.00", "0.00")


def test_a_trade_customer_gets_the_trade_discount_and_a_superseded_number_is_sold_as_its_successor(parts, rpc,
                                                                                                   client):
    account = rpc(caller=MANAGER).parts.create_trade_account(
        {"site_id": SITE, "name": "张江汽修厂", "contact_name": "李师傅", "phone": "021-55551234",
         "discount_percent": "15"})
    successor = new_part(client, retail_price="33.33")
    old = new_part(client, retail_price="30.00", stock="0")
    client.update_part(old, {"superseded_by": successor})

    sale = quote(client, {"part_number": old, "quantity": "3", "discount_percent": "5"},
                 trade_account_id=account["trade_account_id"])

    [line] = sale["lines"]
    assert (line["requested_part_number"], line["part_number"], line["unit_price"]) == (old, successor, "33.33")
    # 99.99 x 0.85 x 0.95 = 80.741925 -> 80.74; VAT 10.4962 -> 10.50
    assert (line["trade_discount_percent"], line["gross"], line["discount"], line["net"], line["vat"],
            line["total"]) == ("15.00", "99.99", "19.25", "80.74", "10.50", "91.24")
    assert (sale["customer_kind"], sale["trade_account_name"], sale["total"]) == ("trade", "张江汽修厂", "91.24")

    client.order_sale(sale["sale_id"], {})
    assert stock_of(client, successor) == ("10.00", "3.00", "0.00")


def test_the_vat_rate_comes_from_the_configuration(container_factory, service_config, rpc):
    container = container_factory(PartsService, service_config("parts", SALES_VAT_RATE="0.09"))
    container.start()
    client = rpc().parts
    number = new_part(client, retail_price="100.00")
    sale = quote(client, (number, "1"))
    assert (sale["vat_rate"], sale["vat"], sale["total"]) == ("0.0900", "9.00", "109.00")


# --- the life cycle and stock ---

def test_order_reserves_pick_issues_first_expiry_first_and_the_invoice_announces_parts_sold(client, subscribe):
    events = subscribe(("parts.events", "parts_sold"))
    coolant = new_part(client, retail_price="45.00", cost_price="30.00", stock="0", shelf_life_days=720)
    receive(client, coolant, "5", batch="LATE", expiry_date=(date.today() + timedelta(days=300)).isoformat())
    receive(client, coolant, "2", batch="SOON", expiry_date=(date.today() + timedelta(days=20)).isoformat())
    sale = quote(client, (coolant, "3"))
    [line] = sale["lines"]
    reference = f"sale-line:{line['line_id']}"

    ordered = client.order_sale(sale["sale_id"], {})
    assert (ordered["status"], ordered["allowed_actions"]) == ("ordered", ["pick", "cancel"])
    assert (ordered["lines"][0]["status"], ordered["lines"][0]["stock_status"]) == ("ordered", "reserved")
    reservation = client.get_reservation(ordered["lines"][0]["reservation_id"])
    assert (reservation["kind"], reservation["reference"], reservation["quantity"]) == (
        "counter_order", reference, "3.00")
    assert stock_of(client, coolant) == ("7.00", "3.00", "0.00")

    picked = client.pick_sale(sale["sale_id"])
    assert (picked["status"], picked["lines"][0]["status"], picked["lines"][0]["stock_status"]) == (
        "picked", "picked", "issued")
    assert picked["lines"][0]["unit_cost"] == "30.00"
    assert sorted((p["batch"], p["quantity"]) for p in picked["lines"][0]["picked_from"]) == [
        ("LATE", "1.00"), ("SOON", "2.00")]
    assert stock_of(client, coolant) == ("4.00", "0.00", "0.00")
    ledger = client.list_movements({"site_id": SITE, "part_number": coolant, "reference": reference})
    assert sorted((m["kind"], m["quantity"]) for m in ledger) == [("sale", "-1.00"), ("sale", "-2.00")]
    assert {lot["batch"]: lot["quantity"] for lot in client.list_lots({"site_id": SITE, "part_number": coolant})} \
        == {"LATE": "4.00"}

    invoiced = client.invoice_sale(sale["sale_id"])
    number = f"{SITE}-{shanghai_today().year}-000001"
    assert (invoiced["status"], invoiced["invoice_number"], invoiced["allowed_actions"]) == (
        "invoiced", number, [])
    event = events.wait_for("parts_sold", lambda e: e["payload"]["sale_id"] == sale["sale_id"])
    assert (event["site_id"], event["payload"]["invoice_number"], event["payload"]["total"]) == (
        SITE, number, "152.55")  # 135.00 + 17.55 VAT
    assert event["payload"]["lines"] == [{
        "line_id": line["line_id"], "part_number": coolant, "requested_part_number": coolant, "quantity": "3.00",
        "unit_price": "45.00", "discount": "0.00", "net": "135.00", "vat": "17.55", "total": "152.55",
        "unit_cost": "30.00"}]
    assert PHONE not in str(event) and "王先生" not in str(event)


def test_a_short_line_is_left_out_when_the_clerk_does_not_backorder_it(client):
    scarce, plenty = new_part(client, stock="2", retail_price="100.00"), new_part(client, retail_price="10.00")
    sale = quote(client, (scarce, "5"), (plenty, "1"))
    assert sale["total"] == "576.30"

    ordered = client.order_sale(sale["sale_id"], {"backorder": False})

    lines = {line["part_number"]: line for line in ordered["lines"]}
    assert (lines[scarce]["status"], lines[scarce]["reservation_id"]) == ("not_supplied", None)
    assert (ordered["subtotal"], ordered["vat"], ordered["total"]) == ("10.00", "1.30", "11.30")
    assert stock_of(client, scarce) == ("2.00", "0.00", "0.00")
    picked = client.pick_sale(sale["sale_id"])
    assert {line["part_number"]: line["status"] for line in picked["lines"]} == {
        scarce: "not_supplied", plenty: "picked"}
    assert stock_of(client, plenty) == ("9.00", "0.00", "0.00")


def test_a_backordered_line_waits_for_stock_before_the_sale_can_be_picked(client):
    scarce, plenty = new_part(client, stock="2"), new_part(client)
    sale = quote(client, (scarce, "5"), (plenty, "1"))
    plenty_line = next(line for line in sale["lines"] if line["part_number"] == plenty)

    ordered = client.order_sale(sale["sale_id"], {
        "backorder": True, "line_choices": [{"line_id": plenty_line["line_id"], "backorder": False}]})
    lines = {line["part_number"]: line for line in ordered["lines"]}
    assert (lines[scarce]["status"], lines[scarce]["stock_status"]) == ("ordered", "backordered")
    assert stock_of(client, scarce) == ("2.00", "0.00", "5.00")

    with pytest.raises(Conflict) as refused:
        client.pick_sale(sale["sale_id"])
    assert "still wait for stock" in refused.value.message
    assert refused.value.details["lines"] == {"1": ["Is backordered."]}

    receive(client, scarce, "3")
    assert stock_of(client, scarce) == ("5.00", "5.00", "0.00")
    picked = client.pick_sale(sale["sale_id"])
    assert [line["status"] for line in picked["lines"]] == ["picked", "picked"]
    assert stock_of(client, scarce) == ("0.00", "0.00", "0.00")


def test_when_no_line_can_be_supplied_the_order_is_refused_and_nothing_is_reserved(client):
    scarce = new_part(client, stock="1")
    sale = quote(client, (scarce, "2"))
    with pytest.raises(Conflict, match="covers none"):
        client.order_sale(sale["sale_id"], {"backorder": False})
    assert client.get_sale(sale["sale_id"])["status"] == "quote"
    assert stock_of(client, scarce) == ("1.00", "0.00", "0.00")


def test_cancel_releases_reserved_and_backordered_stock(client):
    scarce, plenty = new_part(client, stock="1"), new_part(client)
    sale = quote(client, (scarce, "3"), (plenty, "4"))
    ordered = client.order_sale(sale["sale_id"], {})
    assert stock_of(client, plenty) == ("10.00", "4.00", "0.00")
    assert stock_of(client, scarce) == ("1.00", "0.00", "3.00")

    cancelled = client.cancel_sale(sale["sale_id"], {"reason": "客户改主意"})

    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["allowed_actions"]) == (
        "cancelled", "客户改主意", [])
    assert [(line["status"], line["stock_status"]) for line in cancelled["lines"]] == [
        ("cancelled", "released"), ("cancelled", "released")]
    assert stock_of(client, plenty) == ("10.00", "0.00", "0.00")
    assert stock_of(client, scarce) == ("1.00", "0.00", "0.00")
    for line in ordered["lines"]:
        assert client.get_reservation(line["reservation_id"])["status"] == "released"
    assert [m["kind"] for m in client.list_movements({"site_id": SITE, "part_number": plenty})] == ["receipt"]


def test_illegal_transitions_are_refused_with_the_allowed_ones_listed(client):
    number = new_part(client)
    sale = quote(client, (number, "1"))
    with pytest.raises(Conflict) as refused:
        client.invoice_sale(sale["sale_id"])
    assert refused.value.details["allowed_actions"] == ["requote", "order", "cancel"]
    with pytest.raises(Conflict):
        client.pick_sale(sale["sale_id"])

    client.order_sale(sale["sale_id"], {})
    with pytest.raises(Conflict) as refused:
        client.order_sale(sale["sale_id"], {})
    assert refused.value.details["allowed_actions"] == ["pick", "cancel"]
    assert stock_of(client, number) == ("10.00", "1.00", "0.00"), "ordering twice reserves once"

    client.pick_sale(sale["sale_id"])
    with pytest.raises(Conflict) as refused:
        client.cancel_sale(sale["sale_id"], {"reason": "too late"})
    assert refused.value.details["allowed_actions"] == ["invoice"]
    assert "cannot cancel" in refused.value.message
    client.invoice_sale(sale["sale_id"])
    with pytest.raises(Conflict, match="allowed now: nothing"):
        client.invoice_sale(sale["sale_id"])


def test_an_expired_quote_must_be_requoted_at_todays_prices(parts, client):
    number = new_part(client, retail_price="50.00")
    sale = quote(client, (number, "2"))
    sql(parts, "UPDATE counter_sales SET valid_until = :day WHERE id = :id",
        day=shanghai_today() - timedelta(days=1), id=sale["sale_id"])
    assert client.get_sale(sale["sale_id"])["quote_expired"] is True
    with pytest.raises(Conflict) as refused:
        client.order_sale(sale["sale_id"], {})
    assert "valid_until" in refused.value.details

    client.update_part(number, {"retail_price": "55.00"})
    requoted = client.requote_sale(sale["sale_id"])
    assert (requoted["lines"][0]["unit_price"], requoted["subtotal"], requoted["total"], requoted["quote_expired"]) \
        == ("55.00", "110.00", "124.30", False)
    assert requoted["valid_until"] == (shanghai_today() + timedelta(days=7)).isoformat()
    assert client.order_sale(sale["sale_id"], {})["status"] == "ordered"


# --- invoice numbers ---

def test_twenty_concurrent_invoices_at_one_site_get_twenty_consecutive_numbers(
        parts, container_factory, service_config, rpc):
    second_replica = container_factory(PartsService, service_config("parts", database=parts.config["DATABASE_URL"]))
    second_replica.start()
    client = rpc().parts
    number = new_part(client, stock="30")
    sales = [sold(client, (number, "1")) for _ in range(20)]

    pending = [client.invoice_sale.call_async(sale["sale_id"]) for sale in sales]
    numbers = sorted(reply.result()["invoice_number"] for reply in pending)

    year = shanghai_today().year
    assert numbers == [f"{SITE}-{year}-{n:06d}" for n in range(1, 21)]
    assert len({client.get_sale(sale["sale_id"])["invoice_number"] for sale in sales}) == 20
    assert sql(parts, "SELECT last_number FROM counter_sale_invoice_counters WHERE site_id = :s", s=SITE) == [(20,)]


def test_invoice_numbers_are_per_site_and_a_failed_or_refused_invoice_takes_no_number(client, monkeypatch):
    here, there = new_part(client), new_part(client, site=OTHER_SITE)
    first = sold(client, (here, "1"))
    elsewhere = sold(client, (there, "1"), site=OTHER_SITE)
    unpicked = quote(client, (here, "1"))
    year = shanghai_today().year

    import parts.api.sales as sales_api  # fail once after the counter was bumped: the rollback gives it back

    def fail_once(*args):
        monkeypatch.undo()
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(sales_api, "invoice_number", fail_once)
    with pytest.raises(Exception, match="printer on fire"):
        client.invoice_sale(first["sale_id"])
    assert client.get_sale(first["sale_id"])["status"] == "picked"
    assert client.invoice_sale(first["sale_id"])["invoice_number"] == f"{SITE}-{year}-000001"
    with pytest.raises(Conflict):
        client.invoice_sale(unpicked["sale_id"])
    assert client.invoice_sale(elsewhere["sale_id"])["invoice_number"] == f"{OTHER_SITE}-{year}-000001"
    second = sold(client, (here, "1"))
    assert client.invoice_sale(second["sale_id"])["invoice_number"] == f"{SITE}-{year}-000002"


def test_concurrent_orders_never_oversell(client):
    number = new_part(client, stock="5")
    sales = [quote(client, (number, "1")) for _ in range(12)]
    pending = [client.order_sale.call_async(sale["sale_id"], {"backorder": False}) for sale in sales]
    outcomes = []
    for reply in pending:
        try:
            outcomes.append(reply.result()["status"])
        except Conflict:
            outcomes.append("refused")
    assert sorted(outcomes).count("ordered") == 5 and outcomes.count("refused") == 7
    assert stock_of(client, number) == ("5.00", "5.00", "0.00")


# --- bad input, wrong site, roles ---

def test_bad_input_names_the_field_and_changes_nothing(parts, client, rpc):
    number = new_part(client)
    other_account = rpc().parts.create_trade_account({"site_id": OTHER_SITE, "name": "外店客户",
                                                      "discount_percent": "10"})
    cases = [
        ({"lines": [{"part_number": number, "quantity": "1.001"}]}, InvalidInput, "lines"),
        ({"lines": [{"part_number": number, "quantity": "0"}]}, InvalidInput, "lines"),
        ({"lines": []}, InvalidInput, "lines"),
        ({"lines": [{"part_number": number, "quantity": "1", "discount_percent": "10.01"}]}, InvalidInput, "lines"),
        ({"lines": [{"part_number": "NO-SUCH-PART", "quantity": "1"}]}, NotFound, "lines"),
        ({"lines": [{"part_number": number, "quantity": "1"}], "customer_phone": "12345"}, InvalidInput,
         "customer_phone"),
        ({"lines": [{"part_number": number, "quantity": "1"}], "customer_name": None, "customer_phone": None},
         InvalidInput, "customer_name"),
        ({"lines": [{"part_number": number, "quantity": "1"}], "colour": "red"}, InvalidInput, "colour"),
        ({"lines": [{"part_number": number, "quantity": "1"}], "trade_account_id": other_account["trade_account_id"]},
         NotFound, "trade_account_id"),
    ]
    for changes, error, field in cases:
        payload = {"site_id": SITE, "customer_name": "王先生", **changes}
        with pytest.raises(error) as refused:
            client.create_sale(payload)
        assert field in refused.value.details, (changes, refused.value.details)
    with pytest.raises(InvalidInput) as refused:
        client.create_sale({"site_id": SITE, "customer_name": "王先生",
                            "lines": [{"part_number": number, "quantity": "1", "discount_percent": "12"}]})
    assert refused.value.details == {"lines": {"0": {"discount_percent": [
        "At most 10% without a price change in the catalogue."]}}}
    assert client.list_sales({"site_id": SITE}) == []
    assert sql(parts, "SELECT count(*) FROM counter_sale_lines") == [(0,)]

    sale = quote(client, (number, "1"))
    with pytest.raises(InvalidInput) as refused:
        client.order_sale(sale["sale_id"], {"line_choices": [{"line_id": str(uuid.uuid4()), "backorder": True}]})
    assert "line_choices" in refused.value.details
    with pytest.raises(InvalidInput) as refused:
        client.cancel_sale(sale["sale_id"], {"reason": ""})
    assert "reason" in refused.value.details
    with pytest.raises(NotFound) as refused:
        client.get_sale(str(uuid.uuid4()))
    assert "sale_id" in refused.value.details
    assert stock_of(client, number) == ("10.00", "0.00", "0.00")
    assert client.get_sale(sale["sale_id"])["status"] == "quote"


def test_a_caller_of_another_site_is_forbidden(parts, rpc, client, clerk):
    number = new_part(client)
    sale = quote(clerk, (number, "1"))
    outsider = rpc(caller=OTHER_CLERK).parts
    for attempt in (lambda: outsider.get_sale(sale["sale_id"]),
                    lambda: outsider.order_sale(sale["sale_id"], {}),
                    lambda: outsider.cancel_sale(sale["sale_id"], {"reason": "not mine"}),
                    lambda: outsider.list_sales({"site_id": SITE}),
                    lambda: quote(outsider, (number, "1")),
                    lambda: outsider.list_trade_accounts({"site_id": SITE})):
        with pytest.raises(Forbidden):
            attempt()
    assert client.get_sale(sale["sale_id"])["status"] == "quote"
    assert stock_of(client, number) == ("10.00", "0.00", "0.00")


def test_trade_accounts_are_kept_by_a_site_manager(rpc, clerk):
    manager = rpc(caller=MANAGER).parts
    with pytest.raises(Forbidden):
        clerk.create_trade_account({"site_id": SITE, "name": "浦东车行", "discount_percent": "10"})
    with pytest.raises(InvalidInput) as refused:
        manager.create_trade_account({"site_id": SITE, "name": "浦东车行", "discount_percent": "75"})
    assert "discount_percent" in refused.value.details
    account = manager.create_trade_account({"site_id": SITE, "name": "浦东车行", "discount_percent": "10"})
    with pytest.raises(Conflict):
        manager.create_trade_account({"site_id": SITE, "name": "浦东车行", "discount_percent": "12"})
    changed = manager.update_trade_account(account["trade_account_id"], {"discount_percent": "12.5"})
    assert changed["discount_percent"] == "12.50"
    assert [a["name"] for a in clerk.list_trade_accounts({"site_id": SITE})] == ["浦东车行"]

    manager.update_trade_account(account["trade_account_id"], {"active": False})
    assert clerk.list_trade_accounts({"site_id": SITE}) == []
    with pytest.raises(Conflict):
        clerk.create_sale({"site_id": SITE, "trade_account_id": account["trade_account_id"],
                           "lines": [{"part_number": "ANY-1", "quantity": "1"}]})


def test_phones_are_masked_in_lists_and_never_logged(client, caplog):
    caplog.set_level(logging.INFO)
    number = new_part(client)
    sale = quote(client, (number, "1"))
    assert client.get_sale(sale["sale_id"])["customer_phone"] == PHONE
    [listed] = client.list_sales({"site_id": SITE})
    assert listed["customer_phone"] == "138****5678"
    with pytest.raises(InvalidInput):
        client.create_sale({"site_id": SITE, "customer_phone": "1381234567", "lines": [
            {"part_number": number, "quantity": "1"}]})
    assert PHONE not in caplog.text and "1381234567" not in caplog.text


# --- delivery orders ---

def test_a_delivery_order_goes_out_and_is_delivered_with_proof(client, subscribe):
    events = subscribe(("parts.events", "delivery_order_updated"))
    number = new_part(client)
    sale = sold(client, (number, "2"))
    with pytest.raises(Conflict, match="Only an invoiced sale"):
        client.create_delivery_order({"sale_id": sale["sale_id"], "address": "上海市浦东新区张江路1号",
                                      "contact_name": "李师傅", "contact_phone": PHONE, "carrier": "own van"})
    invoice = client.invoice_sale(sale["sale_id"])
    when = (datetime.now(timezone.utc) + timedelta(hours=3)).replace(microsecond=0)

    delivery = client.create_delivery_order({
        "sale_id": sale["sale_id"], "address": "上海市浦东新区张江路1号", "contact_name": "李师傅",
        "contact_phone": PHONE, "carrier": "own van", "scheduled_for": when.isoformat()})
    assert (delivery["status"], delivery["invoice_number"], delivery["allowed_statuses"]) == (
        "scheduled", invoice["invoice_number"], ["out_for_delivery", "failed"])
    delivery_id = delivery["delivery_order_id"]
    with pytest.raises(Conflict, match="already has a delivery order"):
        client.create_delivery_order({"sale_id": sale["sale_id"], "address": "x", "contact_name": "y",
                                      "contact_phone": PHONE, "carrier": "z"})
    with pytest.raises(Conflict) as refused:
        client.update_delivery_status(delivery_id, {"status": "delivered", "note": "签收"})
    assert refused.value.details["allowed_statuses"] == ["out_for_delivery", "failed"]

    out = client.update_delivery_status(delivery_id, {"status": "out_for_delivery", "driver": "张师傅"})
    assert (out["status"], out["driver"]) == ("out_for_delivery", "张师傅") and out["out_for_delivery_at"]
    with pytest.raises(InvalidInput) as refused:
        client.update_delivery_status(delivery_id, {"status": "delivered"})
    assert "note" in refused.value.details
    done = client.update_delivery_status(delivery_id, {"status": "delivered", "note": "李师傅签收, 单据 0042"})

    assert (done["status"], done["proof_of_delivery"], done["allowed_statuses"]) == (
        "delivered", "李师傅签收, 单据 0042", [])
    assert [(h["status"], h["by"]) for h in done["history"]] == [
        ("scheduled", "system"), ("out_for_delivery", "system"), ("delivered", "system")]
    assert done["delivered_at"] >= done["out_for_delivery_at"] >= done["created_at"]
    assert [d["delivery_order_id"] for d in client.list_delivery_orders({"site_id": SITE, "status": "delivered"})] \
        == [delivery_id]
    assert client.list_delivery_orders({"site_id": SITE})[0]["contact_phone"] == "138****5678"

    updates = [events.wait_for("delivery_order_updated", lambda e, s=status: e["payload"]["status"] == s)
               for status in ("scheduled", "out_for_delivery", "delivered")]
    assert [u["payload"]["previous_status"] for u in updates] == [None, "scheduled", "out_for_delivery"]
    assert all(u["payload"]["delivery_order_id"] == delivery_id and u["site_id"] == SITE for u in updates)
    assert updates[0]["payload"]["scheduled_for"].startswith(when.strftime("%Y-%m-%dT%H:%M"))
    assert updates[1]["payload"]["driver"] == "张师傅"
    assert not any(PHONE in str(u) or "张江路" in str(u) for u in events.events())


def test_a_failed_delivery_is_scheduled_again(client, rpc):
    number = new_part(client)
    sale = client.invoice_sale(sold(client, (number, "1"))["sale_id"])
    delivery = client.create_delivery_order({"sale_id": sale["sale_id"], "address": "嘉定区安亭镇", "contact_name": "周",
                                             "contact_phone": "021-55551234", "carrier": "顺丰"})
    delivery_id = delivery["delivery_order_id"]
    client.update_delivery_status(delivery_id, {"status": "out_for_delivery"})
    with pytest.raises(InvalidInput):
        client.update_delivery_status(delivery_id, {"status": "failed"})
    failed = client.update_delivery_status(delivery_id, {"status": "failed", "note": "无人签收"})
    assert (failed["status"], failed["allowed_statuses"]) == ("failed", ["scheduled"]) and failed["failed_at"]
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
    again = client.update_delivery_status(delivery_id, {"status": "scheduled", "scheduled_for": tomorrow.isoformat()})
    assert again["status"] == "scheduled" and again["scheduled_for"].startswith(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    assert [h["status"] for h in again["history"]] == ["scheduled", "out_for_delivery", "failed", "scheduled"]
    assert again["history"][2]["note"] == "无人签收"
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.update_delivery_status(delivery_id, {"status": "out_for_delivery"})
    with pytest.raises(Forbidden):
        rpc(caller=OTHER_CLERK).parts.get_delivery_order(delivery_id)


# --- schema ---

def names_a_sales_table(difference):
    if isinstance(difference, list):
        return any(names_a_sales_table(item) for item in difference)
    for item in difference:
        table = item if isinstance(item, str) else getattr(item, "name", None)
        if table in SALES_TABLES or getattr(getattr(item, "table", None), "name", None) in SALES_TABLES:
            return True
    return False


def test_migrations_build_the_sales_tables_the_models_describe(databases):
    found = differences("parts:migrations", Base.metadata, databases.fresh_url("parts_sales_schema"))
    assert [d for d in found if names_a_sales_table(d)] == []


def test_the_life_cycle_and_invoice_numbers_work_on_sqlite_too(container_factory, service_config, rpc, tmp_path):
    """`make run` keeps the parts database in SQLite by default."""
    container = container_factory(PartsService, service_config("parts", database=f"sqlite:///{tmp_path / 'p.db'}"))
    container.start()
    client = rpc().parts
    number = new_part(client, retail_price="10.00")
    first, second = sold(client, (number, "1")), sold(client, (number, "2"))
    year = shanghai_today().year
    assert [client.invoice_sale(sale["sale_id"])["invoice_number"] for sale in (first, second)] == [
        f"{SITE}-{year}-000001", f"{SITE}-{year}-000002"]
    assert stock_of(client, number) == ("7.00", "0.00", "0.00")
