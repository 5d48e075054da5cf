"""Check-in (接车) through the HTTP gateway, every service running on the real broker and PostgreSQL.

Done when (issue #3): an unknown car is registered in crm at check-in; a bad VIN, plate or mileage is refused
with the field named and nothing created; the walk-around with photos and signature is kept; the promised
time comes from the workshop's load; the job card is downloaded as a PDF.
"""
import struct
import uuid
import zlib
from datetime import datetime, timedelta, timezone

import pytest

from contracts.fields import vin_check_digit

SITE = f"K{uuid.uuid4().hex[:6].upper()}"


def png(width=2, height=2):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x00\x00\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def valid_vin():
    vin = f"LGBH5{uuid.uuid4().int % 10**12:012d}"
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def unique_phone():
    return f"137{uuid.uuid4().int % 10**8:08d}"


def in_hours(hours):
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).isoformat()


@pytest.fixture(scope="module")
def advisor(make_user):
    return make_user(f"chk-advisor-{uuid.uuid4().hex[:6]}", ["service_advisor"], [SITE])


@pytest.fixture(scope="module")
def workshop_with_one_bay(make_user):
    """One bay and one technician: 8 bookable hours a day."""
    manager = make_user(f"chk-manager-{uuid.uuid4().hex[:6]}", ["site_manager", "foreman"], [SITE])
    staff = manager.post("/api/v1/staff", {"site_id": SITE, "name": "Zhao", "role": "technician", "grade": "senior"})
    assert staff.status_code == 201, staff.text
    bay = manager.post("/api/v1/workshop/bays", {"site_id": SITE, "code": "B1", "name": "Lift bay 1"})
    assert bay.status_code == 201, bay.text
    return manager


def new_car(plate, vin=None, phone=None, **overrides):
    return {"site_id": SITE, "vehicle": {"vin": vin or valid_vin(), "plate": plate, "model": "理想 L7"},
            "customer": {"name": "陈女士", "phone": phone or unique_phone()}, "mileage_km": 23000,
            "concern": "空调异味", "promised_at": in_hours(5), **overrides}


def test_an_unknown_car_is_registered_in_crm_at_check_in_and_found_at_the_desk(advisor):
    vin, phone = valid_vin(), unique_phone()
    answer = advisor.post("/api/v1/visits", new_car("沪AD12345", vin=vin, phone=phone))
    assert answer.status_code == 201, answer.text
    visit = answer.json()
    assert visit["check_in"]["vehicle_registered"] and visit["check_in"]["customer_registered"]
    [vehicle] = advisor.get("/api/v1/vehicles", vin=vin).json()
    assert (vehicle["vehicle_id"], vehicle["plate"], vehicle["mileage_km"]) == (visit["vehicle_id"], "沪AD12345", 23000)
    [customer] = advisor.get("/api/v1/customers", site_id=SITE, phone=phone).json()
    assert customer["customer_id"] == visit["customer_id"] and customer["name"] == "陈女士"
    found = advisor.get("/api/v1/desk/lookup", site_id=SITE, plate="沪AD12345")
    assert found.status_code == 200, found.text
    [car] = found.json()["vehicles"]
    assert car["open_visit"]["visit_id"] == visit["visit_id"]
    assert found.json()["customers"][0]["phone"] == phone


@pytest.mark.parametrize("change, field", [
    ({"vehicle": {"vin": "LGBH5I00000000000", "plate": "沪A12345", "model": "m"}}, ("vehicle", "vin")),
    ({"vehicle": {"vin": None, "plate": "沪A1234", "model": "m"}}, ("vehicle", "plate")),
    ({"customer": {"name": "陈", "phone": "110"}}, ("customer", "phone")),
    ({"mileage_km": -5}, ("mileage_km",)),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_created(advisor, change, field):
    phone = unique_phone()
    body = {**new_car("沪A77777", phone=phone), **change}
    answer = advisor.post("/api/v1/visits", body)
    assert answer.status_code == 400, answer.text
    details = answer.json()["details"]
    assert list(details) == [field[0]]
    if len(field) == 2:
        assert list(details[field[0]]) == [field[1]]
    assert advisor.get("/api/v1/customers", site_id=SITE, phone=phone).json() == []
    assert advisor.get("/api/v1/vehicles", plate="沪A77777").json() == []


def test_mileage_below_crms_record_is_refused_unless_a_reason_is_given(advisor):
    customer = advisor.post("/api/v1/customers", {"site_id": SITE, "name": "刘先生", "phone": unique_phone()})
    assert customer.status_code == 201, customer.text
    vehicle = advisor.post("/api/v1/vehicles", {"site_id": SITE, "customer_id": customer.json()["customer_id"],
                                                "vin": valid_vin(), "plate": "沪B23456", "model": "朗逸",
                                                "mileage_km": 80000})
    assert vehicle.status_code == 201, vehicle.text
    body = {"site_id": SITE, "vehicle": {"plate": "沪B23456"}, "mileage_km": 1500, "concern": "保养",
            "promised_at": in_hours(4)}
    refused = advisor.post("/api/v1/visits", body)
    assert refused.status_code == 400 and list(refused.json()["details"]) == ["mileage_km"]
    assert "80000" in refused.json()["details"]["mileage_km"][0]
    visits = advisor.get("/api/v1/visits", site_id=SITE).json()
    assert vehicle.json()["vehicle_id"] not in [v["vehicle_id"] for v in visits]
    accepted = advisor.post("/api/v1/visits", {**body, "mileage_correction_reason": "更换仪表总成"})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["vehicle_id"] == vehicle.json()["vehicle_id"]
    kept = advisor.get(f"/api/v1/visits/{accepted.json()['visit_id']}/check-in").json()
    assert (kept["mileage_correction_reason"], kept["recorded_mileage_km"]) == ("更换仪表总成", 80000)


def test_the_promised_time_is_suggested_from_the_workshops_load(advisor, workshop_with_one_bay):
    too_much = advisor.get("/api/v1/promised-time", site_id=SITE, hours="20")
    assert too_much.status_code == 409 and list(too_much.json()["details"]) == ["estimated_hours"]
    suggestion = advisor.get("/api/v1/promised-time", site_id=SITE, hours="2")
    assert suggestion.status_code == 200, suggestion.text
    promised = datetime.fromisoformat(suggestion.json()["promised_at"])
    assert promised >= datetime.now(timezone.utc) + timedelta(hours=2, minutes=29)
    assert suggestion.json()["days"][0]["free_hours"] == "8.00"
    body = new_car("沪C34567", estimated_hours="2")
    del body["promised_at"]
    visit = advisor.post("/api/v1/visits", body)
    assert visit.status_code == 201, visit.text
    assert visit.json()["check_in"]["promised_at_source"] == "suggested"
    assert abs(datetime.fromisoformat(visit.json()["promised_at"]) - promised) < timedelta(minutes=2)


def test_walk_around_photos_signature_and_the_job_card(advisor):
    visit = advisor.post("/api/v1/visits", new_car("沪DF54321", walk_around={
        "damage_marks": [{"zone": "rear_bumper", "kind": "scratch", "note": "REAR-SCRATCH"}],
        "fuel_level_percent": 80, "belongings": ["儿童座椅"], "concerns": ["空调异味", "雨刮异响"]})).json()
    visit_id = visit["visit_id"]
    assert visit["check_in"]["concerns"] == ["空调异味", "雨刮异响"]

    photo = advisor.upload(f"/api/v1/visits/{visit_id}/photos?filename=bumper.png", png(), "image/png")
    assert photo.status_code == 201, photo.text
    fetched = advisor.get(f"/api/v1/visits/{visit_id}/photos/{photo.json()['photo_id']}")
    assert (fetched.status_code, fetched.headers["Content-Type"], fetched.content) == (200, "image/png", png())
    renamed = advisor.upload(f"/api/v1/visits/{visit_id}/photos", png(), "image/jpeg")
    assert renamed.status_code == 400 and list(renamed.json()["details"]) == ["content_type"]
    not_an_image = advisor.upload(f"/api/v1/visits/{visit_id}/photos", b"%PDF-1.4 ...", "application/pdf")
    assert not_an_image.status_code == 400

    walk_around = advisor.put(f"/api/v1/visits/{visit_id}/walk-around", {
        "damage_marks": [{"zone": "roof", "kind": "hail", "note": ""}]})
    assert walk_around.status_code == 400 and "damage_marks" in walk_around.json()["details"]
    walk_around = advisor.put(f"/api/v1/visits/{visit_id}/walk-around", {
        "damage_marks": [{"zone": "rear_bumper", "kind": "scratch", "note": "REAR-SCRATCH"},
                         {"zone": "roof", "kind": "dent", "note": "ROOF-DENT"}], "fuel_level_percent": 75})
    assert walk_around.status_code == 200, walk_around.text
    assert [p["filename"] for p in walk_around.json()["photos"]] == ["bumper.png"]

    signed = advisor.upload(f"/api/v1/visits/{visit_id}/signature", png(60, 20), "image/png")
    assert signed.status_code == 200, signed.text
    assert signed.json()["signature"]["state"] == "signed"

    card = advisor.get(f"/api/v1/visits/{visit_id}/job-card.pdf")
    assert card.status_code == 200, card.text
    assert card.headers["Content-Type"] == "application/pdf" and card.content.startswith(b"%PDF-")
    assert b"(DF54321)" in card.content and visit["vin"].encode() in card.content
    assert b"ROOF-DENT" in card.content


def test_a_typed_acknowledgement_instead_of_a_signature(advisor):
    visit = advisor.post("/api/v1/visits", new_car("沪E65432")).json()
    answer = advisor.post(f"/api/v1/visits/{visit['visit_id']}/signature/acknowledgement", {"name": "陈女士"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["signature"]["state"] == "acknowledged"
    card = advisor.get(f"/api/v1/visits/{visit['visit_id']}/job-card.pdf")
    assert card.status_code == 200 and b"acknowledged" in card.content
