"""The rules of check-in on their own: no broker, no database."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from contracts.fields import vin_check_digit
from contracts.reception import CheckIn, WalkAround
from reception.rules import check_in as rules
from reception.rules.visits import check_mileage
from svckit.errors import Conflict, InvalidInput
from svckit.schemas import load

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 26)


def local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def valid_vin(seed=123456):
    vin = f"LSVAM4{seed:011d}"
    return vin[:8] + vin_check_digit(vin) + vin[9:]


# --- find or create ---

CAR = {"vehicle_id": "v-1", "customer_id": "c-1", "vin": valid_vin(), "plate": "粤B12345", "mileage_km": 50000}


def test_a_vin_crm_knows_decides_even_if_the_plate_changed():
    assert rules.known_vehicle({"vin": CAR["vin"], "plate": "粤B99999"}, [CAR], []) is CAR


def test_an_unknown_vin_is_a_new_car_even_when_its_plate_is_on_another_car():
    assert rules.known_vehicle({"vin": valid_vin(7), "plate": "粤B12345"}, [], [CAR]) is None


def test_a_plate_alone_finds_the_one_car_carrying_it():
    assert rules.known_vehicle({"vin": None, "plate": "粤B12345"}, [], [CAR]) is CAR
    assert rules.known_vehicle({"vin": None, "plate": "粤B12345"}, [], []) is None


def test_a_plate_on_two_cars_asks_for_the_vin():
    with pytest.raises(InvalidInput) as refused:
        rules.known_vehicle({"vin": None, "plate": "粤B12345"}, [], [CAR, {**CAR, "vehicle_id": "v-2"}])
    assert refused.value.details == {"vehicle": {"vin": ["2 cars carry plate 粤B12345 in crm: give the VIN."]}}


def test_registering_needs_vin_plate_model_and_the_owner():
    rules.check_registrable({"vin": valid_vin(), "plate": "粤B12345", "model": "帕萨特"},
                            {"name": "王先生", "phone": "13812345678"})
    with pytest.raises(InvalidInput) as refused:
        rules.check_registrable({"vin": None, "plate": "粤B12345", "model": None}, None)
    assert set(refused.value.details) == {"vehicle", "customer"}
    assert set(refused.value.details["vehicle"]) == {"vin", "model"}


def test_the_customer_crm_has_for_the_phone_is_used_else_registered():
    assert rules.known_customer([{"customer_id": "c-1"}]) == {"customer_id": "c-1"}
    assert rules.known_customer([]) is None


def test_check_in_input_needs_a_car_a_concern_and_a_promise_or_hours():
    with pytest.raises(InvalidInput) as refused:
        load(CheckIn, {"site_id": "S1", "mileage_km": 10})
    assert set(refused.value.details) == {"vehicle_id", "concern", "promised_at"}
    data = load(CheckIn, {"site_id": "S1", "vehicle": {"plate": "粤b·d12345"}, "mileage_km": 10,
                          "walk_around": {"concerns": ["异响"]}, "estimated_hours": "2.5"})
    assert data["vehicle"]["plate"] == "粤BD12345" and data["estimated_hours"] == Decimal("2.50")


def test_bad_vin_and_plate_are_refused_naming_the_field():
    bad_vin = valid_vin()[:8] + ("0" if valid_vin()[8] != "0" else "1") + valid_vin()[9:]
    with pytest.raises(InvalidInput) as refused:
        load(CheckIn, {"site_id": "S1", "vehicle": {"vin": bad_vin, "plate": "粤I12345"},
                       "customer": {"name": "王", "phone": "12345"}, "mileage_km": 10, "concern": "x",
                       "promised_at": "2030-01-01T10:00:00+08:00"})
    details = refused.value.details
    assert set(details) == {"vehicle", "customer"}
    assert set(details["vehicle"]) == {"vin", "plate"} and "Check digit" in details["vehicle"]["vin"][0]
    assert set(details["customer"]) == {"phone"}


def test_vehicle_id_and_a_vehicle_block_are_alternatives():
    with pytest.raises(InvalidInput) as refused:
        load(CheckIn, {"site_id": "S1", "vehicle_id": "4a3c0a2e-5a43-4a8e-9d25-3c5a1e1f0c11",
                       "vehicle": {"vin": valid_vin()}, "mileage_km": 10, "concern": "x", "estimated_hours": "1"})
    assert list(refused.value.details) == ["vehicle"]


# --- mileage ---

def test_lower_mileage_is_refused_without_a_reason_and_accepted_with_one():
    assert check_mileage(52000, 52000) is False
    with pytest.raises(InvalidInput) as refused:
        check_mileage(1200, 52000, "  ")
    assert list(refused.value.details) == ["mileage_km"]
    assert "mileage_correction_reason" in refused.value.details["mileage_km"][0]
    assert check_mileage(1200, 52000, "仪表总成更换") is True


# --- promised time ---

def days(*free_hours, start=TODAY):
    return [(start + timedelta(days=i), Decimal(str(hours))) for i, hours in enumerate(free_hours)]


def test_work_that_fits_today_is_promised_today_with_the_buffer():
    now = local(TODAY, 10)
    promised = rules.suggest_promised_time(Decimal("2.5"), now, days(8, 8), SHANGHAI)
    assert promised == local(TODAY, 13).astimezone(timezone.utc)


def test_before_opening_the_work_starts_at_opening():
    promised = rules.suggest_promised_time(Decimal("1"), local(TODAY, 6), days(8), SHANGHAI)
    assert promised == local(TODAY, 9, 30).astimezone(timezone.utc)


def test_work_ending_after_closing_goes_to_tomorrow_morning():
    promised = rules.suggest_promised_time(Decimal("3"), local(TODAY, 15), days(8, 8), SHANGHAI)
    assert promised == local(TODAY + timedelta(days=1), 11, 30).astimezone(timezone.utc)


def test_a_full_day_is_skipped_for_the_next_day_with_enough_free_hours():
    promised = rules.suggest_promised_time(Decimal("4"), local(TODAY, 9), days(2, "3.5", 6), SHANGHAI)
    assert promised == local(TODAY + timedelta(days=2), 12, 30).astimezone(timezone.utc)


def test_capacities_are_read_only_as_far_as_needed():
    read = []

    def capacities():
        for day, free in days(8, 8, 8):
            read.append(day)
            yield day, free

    rules.suggest_promised_time(Decimal("1"), local(TODAY, 9), capacities(), SHANGHAI)
    assert read == [TODAY]


def test_no_day_with_room_gives_no_promise():
    assert rules.suggest_promised_time(Decimal("5"), local(TODAY, 9), days(1, 2, 3), SHANGHAI) is None
    assert "estimated_hours" in rules.no_promise_possible(Decimal("5"), 3).details


# --- walk-around ---

def test_the_walk_around_keeps_trimmed_texts():
    data = load(WalkAround, {"damage_marks": [{"zone": "left_rear_door", "kind": "scratch", "note": " 10cm "}],
                             "fuel_level_percent": 40, "belongings": [" 行车记录仪 "], "concerns": ["刹车异响"]})
    kept = rules.walk_around(data)
    assert kept == {"damage_marks": [{"zone": "left_rear_door", "kind": "scratch", "note": "10cm"}],
                    "fuel_level_percent": 40, "belongings": ["行车记录仪"], "concerns": ["刹车异响"]}


def test_bad_walk_around_input_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        load(WalkAround, {"damage_marks": [{"zone": "bonnet", "kind": "scratch"}], "fuel_level_percent": 101})
    assert set(refused.value.details) == {"damage_marks", "fuel_level_percent"}
    assert "zone" in refused.value.details["damage_marks"][0]
    data = load(WalkAround, {"damage_marks": [{"zone": "other", "kind": "dent"}], "belongings": [" "]})
    with pytest.raises(InvalidInput) as refused:
        rules.walk_around(data)
    assert refused.value.details == {"damage_marks": {0: {"note": ["Say what it is: zone or kind is 'other'."]}},
                                     "belongings": {0: ["Blank."]}}


def test_the_walk_around_is_open_only_while_the_car_is_checked_in():
    rules.check_walk_around_open("checked_in")
    with pytest.raises(Conflict) as refused:
        rules.check_walk_around_open("delivered")
    assert "status" in refused.value.details


def test_the_visit_concern_comes_first_then_the_walk_around_concerns():
    assert rules.visit_concerns("异响", ["异响", "空调不凉"]) == ["异响", "空调不凉"]
    assert rules.visit_concerns(None, ["空调不凉"]) == ["空调不凉"]
    assert rules.visit_concerns("保养", []) == ["保养"]


def test_signature_state():
    at = datetime(2026, 11, 26, tzinfo=timezone.utc)
    assert rules.signature_state(at, None) == "signed"
    assert rules.signature_state(None, at) == "acknowledged"
    assert rules.signature_state(None, None) == "missing"


# --- the job card ---

def test_the_job_card_is_a_pdf_with_the_plate_vin_and_damage():
    at = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)
    card = {"site_id": "S1", "visit_id": "v-1", "repair_order_id": None, "plate": "粤B12345", "vin": valid_vin(),
            "model": "帕萨特", "mileage_km": 52000, "mileage_correction_reason": None, "customer_name": "王先生",
            "advisor": "wang.advisor", "checked_in_at": at, "promised_at": at + timedelta(hours=6),
            "fuel_level_percent": 40, "concern": "刹车异响", "concerns": ["刹车异响", "空调不凉" * 80],
            "damage_marks": [{"zone": "hood", "kind": "dent", "note": "DENT-NOTE"}], "belongings": ["伞"],
            "walk_around_notes": "", "signature_state": "missing"}
    pdf = rules.job_card_pdf(card, SHANGHAI)
    assert pdf.startswith(b"%PDF-")
    assert b"B12345" in pdf and valid_vin().encode() in pdf and b"DENT-NOTE" in pdf
    rows = dict(rules.job_card_lines(card, SHANGHAI))
    assert rows["承诺交车 Promised"] == "2026-11-26 16:00" and rows["车损 Damage"] == "发动机盖 凹陷：DENT-NOTE"


def test_a_check_in_by_vehicle_id_as_before_still_names_each_bad_field():
    with pytest.raises(InvalidInput) as refused:
        load(CheckIn, {"site_id": "bad site!", "mileage_km": -1, "concern": "", "promised_at": "tomorrow",
                       "colour": "red"})
    assert set(refused.value.details) == {"site_id", "vehicle_id", "mileage_km", "concern", "promised_at", "colour"}
    data = load(CheckIn, {"site_id": "S1", "vehicle_id": "4a3c0a2e-5a43-4a8e-9d25-3c5a1e1f0c11", "mileage_km": 1,
                          "concern": "刹车异响", "walk_around_notes": "左后门划痕",
                          "promised_at": "2030-01-01T10:00:00+08:00"})
    assert (data["vehicle"], data["walk_around"], data["estimated_hours"]) == (None, None, None)


def test_a_signature_that_is_no_real_image_still_gives_a_job_card():
    at = datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)
    card = {"site_id": "S1", "visit_id": "v-1", "plate": "粤B12345", "vin": valid_vin(), "mileage_km": 1,
            "advisor": "a", "checked_in_at": at, "promised_at": at, "concern": "x", "signature_state": "signed",
            "signed_at": at}
    pdf = rules.job_card_pdf(card, SHANGHAI, signature_png=b"\x89PNG\r\n\x1a\n" + bytes(range(64)))
    assert pdf.startswith(b"%PDF-") and b"signature image unreadable" in pdf
