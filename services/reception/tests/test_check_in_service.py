"""Check-in on the real broker and PostgreSQL, with the real crm and a stand-in workshop (its capacity)."""
import base64
import struct
import uuid
import zlib
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from nameko.rpc import rpc as rpc_entrypoint

from contracts.fields import vin_check_digit
from crm.service import CrmService
from reception.models import Base
from reception.service import ReceptionService
from svckit.auth import Caller
from svckit.errors import Conflict, InvalidInput
from svckit.testing.migrations import differences

SITE = "CHK-1"
ADVISOR = Caller(user_id="u-wang", username="wang.advisor", roles=frozenset({"service_advisor"}),
                 sites=frozenset({SITE}))
SHANGHAI = ZoneInfo("Asia/Shanghai")

FREE_HOURS = {}  # date -> free hours the stand-in workshop reports; 8 when not set


class FakeWorkshop:
    name = "workshop"

    @rpc_entrypoint
    def get_capacity(self, payload):
        day = date.fromisoformat(payload["date"])
        return {"site_id": payload["site_id"], "date": payload["date"],
                "free_hours": str(FREE_HOURS.get(day, Decimal("8")))}


@pytest.fixture
def services(container_factory, service_config, broker):
    FREE_HOURS.clear()
    container_factory(FakeWorkshop, {"AMQP_URI": broker.uri}).start()
    crm = container_factory(CrmService, service_config("crm"))
    crm.start()
    reception = container_factory(ReceptionService, service_config("reception"))
    reception.start()
    return reception


@pytest.fixture
def client(services, rpc):
    return rpc(caller=ADVISOR).reception


@pytest.fixture
def crm(services, rpc):
    return rpc(caller=ADVISOR).crm


def valid_vin():
    vin = f"LFV2A2{uuid.uuid4().int % 10**11:011d}"
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def wrong_check_digit(vin):
    return vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]


def unique_phone():
    return f"139{uuid.uuid4().int % 10**8:08d}"


def in_hours(hours):
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat()


def new_car_check_in(vin=None, plate="粤BD12345", phone=None, **overrides):
    return {"site_id": SITE, "vehicle": {"vin": vin or valid_vin(), "plate": plate, "model": "比亚迪 汉 EV"},
            "customer": {"name": "王先生", "phone": phone or unique_phone()}, "mileage_km": 18000,
            "concern": "充电后续航下降", "promised_at": in_hours(6), **overrides}


def png(width=2, height=2):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def upload(content, content_type, filename="photo"):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(content).decode()}


def test_an_unknown_car_and_customer_are_registered_in_crm_at_check_in(client, crm):
    vin, phone = valid_vin(), unique_phone()
    visit = client.check_in(new_car_check_in(vin=vin, phone=phone))
    [vehicle] = crm.search_vehicles({"vin": vin})
    [customer] = crm.find_customers({"site_id": SITE, "phone": phone})
    assert (vehicle["plate"], vehicle["model"], vehicle["mileage_km"]) == ("粤BD12345", "比亚迪 汉 EV", 18000)
    assert vehicle["customer_id"] == customer["customer_id"] and customer["name"] == "王先生"
    assert (visit["vehicle_id"], visit["customer_id"], visit["vin"]) == (vehicle["vehicle_id"],
                                                                        customer["customer_id"], vin)
    assert (visit["check_in"]["customer_registered"], visit["check_in"]["vehicle_registered"]) == (True, True)
    assert [v["vehicle_id"] for v in customer["vehicles"]] == [vehicle["vehicle_id"]]


def test_a_known_owner_is_found_by_phone_and_a_known_car_by_plate(client, crm):
    phone = unique_phone()
    first = client.check_in(new_car_check_in(phone=phone, plate="粤A12345"))
    second = client.check_in(new_car_check_in(phone=phone, plate="粤A54321"))
    assert second["customer_id"] == first["customer_id"]
    assert (second["check_in"]["customer_registered"], second["check_in"]["vehicle_registered"]) == (False, True)
    assert len(crm.find_customers({"site_id": SITE, "phone": phone})[0]["vehicles"]) == 2
    with pytest.raises(Conflict) as refused:  # the car found by its plate is still in the workshop
        client.check_in({"site_id": SITE, "vehicle": {"plate": "粤A54321"}, "mileage_km": 18500, "concern": "保养",
                         "promised_at": in_hours(5)})
    assert refused.value.details == {"vehicle_id": [f"Has an open visit {second['visit_id']}; deliver it first."]}


@pytest.mark.parametrize("vehicle, field", [
    ({"vin": "LFV2A2I0000000000", "plate": "粤B12345", "model": "m"}, "vin"),
    ({"vin": "WRONG", "plate": "粤B12345", "model": "m"}, "vin"),
    ({"plate": "粤O12345", "model": "m"}, "plate"),
    ({"plate": "粤B123456789", "model": "m"}, "plate"),
])
def test_a_bad_vin_or_plate_is_refused_naming_it_and_nothing_is_created(client, crm, vehicle, field):
    phone = unique_phone()
    with pytest.raises(InvalidInput) as refused:
        client.check_in({**new_car_check_in(phone=phone), "vehicle": vehicle})
    assert list(refused.value.details) == ["vehicle"] and list(refused.value.details["vehicle"]) == [field]
    assert crm.find_customers({"site_id": SITE, "phone": phone}) == []
    assert client.list_visits({"site_id": SITE}) == []


def test_a_wrong_check_digit_is_refused_and_nothing_is_created(client, crm):
    vin = wrong_check_digit(valid_vin())
    with pytest.raises(InvalidInput) as refused:
        client.check_in(new_car_check_in(vin=vin))
    assert "Check digit" in refused.value.details["vehicle"]["vin"][0]
    with pytest.raises(InvalidInput):
        crm.search_vehicles({"vin": vin})
    assert client.list_visits({"site_id": SITE}) == []


def test_lower_mileage_is_refused_unless_a_reason_is_given_which_is_kept(client, crm):
    customer = crm.create_customer({"site_id": SITE, "name": "李女士", "phone": unique_phone()})
    vehicle = crm.register_vehicle({"site_id": SITE, "customer_id": customer["customer_id"], "vin": valid_vin(),
                                    "plate": "粤B66666", "model": "帕萨特", "mileage_km": 50000})
    check_in = {"site_id": SITE, "vehicle_id": vehicle["vehicle_id"], "mileage_km": 300, "concern": "保养",
                "promised_at": in_hours(4)}
    with pytest.raises(InvalidInput) as refused:
        client.check_in(check_in)
    assert list(refused.value.details) == ["mileage_km"]
    assert "50000" in refused.value.details["mileage_km"][0]
    assert client.list_visits({"site_id": SITE}) == []
    visit = client.check_in({**check_in, "mileage_correction_reason": "仪表总成更换"})
    assert visit["mileage_km"] == 300
    details = client.get_check_in(visit["visit_id"])
    assert (details["mileage_correction_reason"], details["recorded_mileage_km"]) == ("仪表总成更换", 50000)


def test_without_a_promised_time_the_suggestion_from_the_workshop_load_is_used(client):
    today = datetime.now(SHANGHAI).date()
    FREE_HOURS[today] = Decimal("0")
    FREE_HOURS[today + timedelta(days=1)] = Decimal("1.5")
    suggestion = client.suggest_promised_time({"site_id": SITE, "hours": "3"})
    expected = datetime.combine(today + timedelta(days=2), time(11, 30), tzinfo=SHANGHAI)
    assert datetime.fromisoformat(suggestion["promised_at"]) == expected
    assert [d["free_hours"] for d in suggestion["days"]] == ["0", "1.5", "8"]
    visit = client.check_in({**new_car_check_in(), "estimated_hours": "3", "promised_at": None})
    assert datetime.fromisoformat(visit["promised_at"]) == expected
    assert (visit["check_in"]["promised_at_source"], visit["check_in"]["estimated_hours"]) == ("suggested", "3.00")
    overridden = client.check_in({**new_car_check_in(), "estimated_hours": "3", "promised_at": in_hours(2)})
    assert overridden["check_in"]["promised_at_source"] == "advisor"


def test_when_no_day_has_room_the_advisor_is_asked_for_a_promised_time(client, crm):
    today = datetime.now(SHANGHAI).date()
    FREE_HOURS.update({today + timedelta(days=i): Decimal("1") for i in range(14)})
    phone = unique_phone()
    check_in = new_car_check_in(phone=phone, estimated_hours="6")
    del check_in["promised_at"]
    with pytest.raises(Conflict) as refused:
        client.check_in(check_in)
    assert list(refused.value.details) == ["estimated_hours"]
    assert crm.find_customers({"site_id": SITE, "phone": phone}) == []


def test_the_walk_around_photos_and_signature_are_kept_with_the_visit(client):
    visit = client.check_in({**new_car_check_in(concern=None), "walk_around": {
        "damage_marks": [{"zone": "left_rear_door", "kind": "scratch", "note": "约10cm"}],
        "fuel_level_percent": 65, "belongings": ["行车记录仪"], "concerns": ["充电慢", "异响"]}})
    assert visit["concern"] == "充电慢"
    details = visit["check_in"]
    assert details["damage_marks"] == [{"zone": "left_rear_door", "kind": "scratch", "note": "约10cm"}]
    assert (details["fuel_level_percent"], details["belongings"], details["concerns"]) == (
        65, ["行车记录仪"], ["充电慢", "异响"])
    photo = client.add_check_in_photo(visit["visit_id"], upload(png(), "image/png", "door.png"))
    assert (photo["content_type"], photo["size_bytes"], photo["filename"]) == ("image/png", len(png()), "door.png")
    fetched = client.get_check_in_photo(visit["visit_id"], photo["photo_id"])
    assert base64.b64decode(fetched["content_base64"]) == png()
    redone = client.record_walk_around(visit["visit_id"], {"fuel_level_percent": 60, "damage_marks": [
        {"zone": "hood", "kind": "dent", "note": ""}]})
    assert (redone["fuel_level_percent"], redone["damage_marks"][0]["zone"], redone["concerns"]) == (
        60, "hood", ["充电慢", "异响"])
    assert [p["photo_id"] for p in redone["photos"]] == [photo["photo_id"]]
    assert redone["signature"]["state"] == "missing"
    signed = client.sign_check_in(visit["visit_id"], upload(png(40, 20), "image/png", "signature.png"))
    assert signed["signature"]["state"] == "signed"


def test_a_bad_photo_is_refused_and_nothing_kept(client, services):
    visit = client.check_in(new_car_check_in())
    with pytest.raises(InvalidInput) as refused:
        client.add_check_in_photo(visit["visit_id"], upload(png(), "image/jpeg"))
    assert list(refused.value.details) == ["content_type"]
    with pytest.raises(InvalidInput) as refused:
        client.add_check_in_photo(visit["visit_id"], upload(b"GIF89a....", "image/gif"))
    assert list(refused.value.details) == ["content_type"]
    services.config["MAX_PHOTO_BYTES"] = 100
    with pytest.raises(InvalidInput) as refused:
        client.add_check_in_photo(visit["visit_id"], upload(png(100, 100), "image/png"))
    assert list(refused.value.details) == ["_body"]
    with pytest.raises(InvalidInput) as refused:
        client.record_walk_around(visit["visit_id"], {"fuel_level_percent": 140})
    assert list(refused.value.details) == ["fuel_level_percent"]
    assert client.get_check_in(visit["visit_id"])["photos"] == []


def test_a_typed_acknowledgement_stands_for_the_signature(client):
    visit = client.check_in(new_car_check_in())
    acknowledged = client.acknowledge_check_in(visit["visit_id"], {"name": "王先生"})
    assert (acknowledged["signature"]["state"], acknowledged["signature"]["acknowledged_name"]) == (
        "acknowledged", "王先生")
    with pytest.raises(InvalidInput) as refused:
        client.acknowledge_check_in(visit["visit_id"], {"name": "王先生", "at": in_hours(3)})
    assert list(refused.value.details) == ["at"]


def test_the_desk_looks_up_a_plate_vin_or_phone_with_the_open_visit(client):
    phone, vin = unique_phone(), valid_vin()
    visit = client.check_in(new_car_check_in(vin=vin, phone=phone, plate="粤C88888"))
    by_phone = client.look_up_at_desk({"site_id": SITE, "phone": phone})
    assert [c["name"] for c in by_phone["customers"]] == ["王先生"]
    assert [(v["vin"], v["open_visit"]["visit_id"]) for v in by_phone["vehicles"]] == [(vin, visit["visit_id"])]
    by_vin = client.look_up_at_desk({"site_id": SITE, "vin": vin})
    assert by_vin["customers"][0]["customer_id"] == visit["customer_id"]
    assert client.look_up_at_desk({"site_id": SITE, "plate": "粤C00000"}) == {"vehicles": [], "customers": []}
    with pytest.raises(InvalidInput) as refused:
        client.look_up_at_desk({"site_id": SITE})
    assert list(refused.value.details) == ["plate"]


def test_the_job_card_is_a_pdf_with_the_plate_and_the_walk_around(client):
    visit = client.check_in(new_car_check_in(plate="粤BF12345", walk_around={
        "damage_marks": [{"zone": "hood", "kind": "dent", "note": "HOOD-DENT"}], "fuel_level_percent": 40}))
    client.sign_check_in(visit["visit_id"], upload(png(40, 20), "image/png"))
    document = client.get_job_card(visit["visit_id"])
    pdf = base64.b64decode(document["content_base64"])
    assert document["content_type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert b"(BF12345)" in pdf and visit["vin"].encode() in pdf and b"HOOD-DENT" in pdf


def test_the_check_in_migration_builds_what_its_models_describe(databases):
    check_in_tables = {"check_in_records", "check_in_photos"}

    def table_of(diff):
        diff = diff[0] if isinstance(diff, list) else diff
        for item in diff[1:]:
            name = getattr(item, "name", None) if not isinstance(item, str) else item
            table = getattr(item, "table", None)
            if table is not None:
                return table.name
            if name in check_in_tables:
                return name
        return None

    found = differences("reception:migrations", Base.metadata, databases.fresh_url("reception_check_in_schema"))
    assert [diff for diff in found if table_of(diff) in check_in_tables] == []
