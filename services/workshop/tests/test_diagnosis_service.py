"""Diagnosis on the real broker and PostgreSQL: start, findings with trouble codes, photos kept in the database,
and the quote presented; training is a fake."""
import base64
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from nameko.rpc import rpc as rpc_entrypoint

from contracts.reception import VEHICLE_CHECKED_IN
from parts.service import PartsService
from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.subscriber import wait_until
from workshop.service import WorkshopService

SITE = "SITE-D"
WANG, LI = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
STAFF = {WANG: {"site_id": SITE, "name": "Wang"}, LI: {"site_id": "SITE-X", "name": "Li"}}
MAX_PHOTO_BYTES = 4096
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 4 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
ADVISOR = Caller("u-adv", "advisor1", frozenset({"service_advisor"}), frozenset({SITE}))


class FakeTraining:
    name = "training"

    @rpc_entrypoint
    def get_staff(self, staff_id):
        return {"staff_id": staff_id, "role": "technician", "active": True, "grade": "senior", **STAFF[staff_id]}


@pytest.fixture
def workshop(container_factory, service_config, rpc):
    container_factory(WorkshopService, service_config("workshop", MAX_PHOTO_BYTES=MAX_PHOTO_BYTES)).start()
    container_factory(PartsService, service_config("parts")).start()
    container_factory(FakeTraining, service_config("training")).start()
    return rpc().workshop


def opened_order(workshop, publish_event):
    visit_id = str(uuid.uuid4())
    publish_event(VEHICLE_CHECKED_IN, {
        "visit_id": visit_id, "customer_id": str(uuid.uuid4()), "vehicle_id": str(uuid.uuid4()),
        "vin": "LSVAU2180N2183294", "plate": "沪A12345", "mileage_km": 42000,
        "concern": "发动机抖动 (engine shakes at idle)", "walk_around_notes": "",
        "promised_at": (datetime.now(timezone.utc) + timedelta(hours=4)).isoformat(),
        "checked_in_at": datetime.now(timezone.utc).isoformat(), "advisor": "advisor1"}, site_id=SITE)
    return wait_until(lambda: next(iter(workshop.list_repair_orders({"visit_id": visit_id})), None),
                      message="repair order opened")["repair_order_id"]


def photo(content, content_type="image/jpeg", filename="coil.jpg"):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(content).decode()}


FINDING = {"concern": "发动机抖动", "finding": "Cylinder 1 misfires; ignition coil cracked", "cause": "Coil ageing",
           "codes": [{"code": "P0301", "description": "Cylinder 1 misfire", "equipment": "ODIS"},
                     {"code": "U0100", "equipment": "X-431"}],
           "notes": "Swapped coils 1 and 2: the misfire moved to cylinder 2."}


def test_a_diagnosis_with_codes_and_a_photo_becomes_the_quote_presented(workshop, publish_event):
    ro_id = opened_order(workshop, publish_event)
    started = workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    assert started["status"] == "diagnosing"
    finding = workshop.add_finding(ro_id, FINDING)
    assert [(c["code"], c["equipment"]) for c in finding["codes"]] == [("P0301", "ODIS"), ("U0100", "X-431")]

    kept = workshop.add_finding_photo(ro_id, finding["finding_id"], photo(JPEG))
    assert (kept["content_type"], kept["size_bytes"], kept["filename"]) == ("image/jpeg", len(JPEG), "coil.jpg")
    fetched = workshop.get_finding_photo(ro_id, finding["finding_id"], kept["photo_id"])
    assert (fetched["content_type"], base64.b64decode(fetched["content_base64"])) == ("image/jpeg", JPEG)

    presented = workshop.finish_diagnosis(ro_id)
    assert presented["status"] == "awaiting_approval"
    assert [c["to_status"] for c in presented["history"]] == ["opened", "diagnosing", "awaiting_approval"]
    assert presented["findings"][0]["photos"][0]["photo_id"] == kept["photo_id"]
    assert "content_base64" not in presented["findings"][0]["photos"][0]
    diagnosis = workshop.get_diagnosis(ro_id)
    assert [(s["technician_id"], s["finished_by"] is not None) for s in diagnosis["sessions"]] == [(WANG, True)]
    assert diagnosis["findings"][0]["cause"] == "Coil ageing"
    workshop.add_finding(ro_id, {"concern": "异响", "finding": "Heat shield loose"})  # still allowed before approval
    assert len(workshop.get_repair_order(ro_id)["findings"]) == 2


@pytest.mark.parametrize("upload, field", [
    (photo(JPEG, "image/gif"), "content_type"),                       # a type not taken
    (photo(JPEG, "image/png"), "content_type"),                       # says PNG, is a JPEG
    (photo(b"%PDF-1.7 not a picture", "image/jpeg"), "content_type"),  # not an image at all
    (photo(JPEG * 4), "_body"),                                       # larger than MAX_PHOTO_BYTES
    ({**photo(JPEG), "content_base64": "not base64!"}, "_body"),
])
def test_a_bad_photo_is_refused_naming_the_field_and_nothing_is_kept(workshop, publish_event, upload, field):
    ro_id = opened_order(workshop, publish_event)
    workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    finding = workshop.add_finding(ro_id, FINDING)
    with pytest.raises(InvalidInput) as refused:
        workshop.add_finding_photo(ro_id, finding["finding_id"], upload)
    assert list(refused.value.details) == [field]
    assert workshop.get_diagnosis(ro_id)["findings"][0]["photos"] == []
    assert workshop.add_finding_photo(ro_id, finding["finding_id"], photo(PNG, "image/png"))["size_bytes"] == len(PNG)


def test_an_illegal_diagnosis_move_is_refused_with_the_allowed_ones(workshop, publish_event):
    ro_id = opened_order(workshop, publish_event)
    with pytest.raises(Conflict):
        workshop.finish_diagnosis(ro_id)  # nothing diagnosed yet
    workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    with pytest.raises(Conflict) as again:
        workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    assert again.value.details == {"status": ["Allowed from diagnosing: awaiting_approval, cancelled, on_hold."]}
    with pytest.raises(Conflict) as no_findings:
        workshop.finish_diagnosis(ro_id)
    assert "findings" in no_findings.value.details
    assert workshop.get_repair_order(ro_id)["status"] == "diagnosing"

    workshop.add_finding(ro_id, FINDING)
    workshop.finish_diagnosis(ro_id)
    with pytest.raises(Conflict) as twice:
        workshop.finish_diagnosis(ro_id)
    assert twice.value.details["status"][0].startswith("Allowed from awaiting_approval:")
    assert workshop.start_diagnosis(ro_id, {"technician_id": WANG})["status"] == "diagnosing"  # diagnosed again
    assert len(workshop.get_diagnosis(ro_id)["sessions"]) == 2


def test_findings_after_approval_bad_codes_and_strangers_are_refused(workshop, publish_event, rpc):
    ro_id = opened_order(workshop, publish_event)
    with pytest.raises(InvalidInput) as elsewhere:
        workshop.start_diagnosis(ro_id, {"technician_id": LI})
    assert "SITE-X" in elsewhere.value.details["technician_id"][0]
    with pytest.raises(Forbidden):
        rpc(caller=ADVISOR).workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    with pytest.raises(InvalidInput) as bad:
        workshop.add_finding(ro_id, {"concern": "", "finding": "x", "codes": [{"code": "P9301"}, {"code": "X0100"}]})
    assert set(bad.value.details) == {"concern", "codes"}
    assert set(bad.value.details["codes"]) == {"0", "1"}  # the index of each bad code
    with pytest.raises(NotFound):
        workshop.add_finding_photo(ro_id, str(uuid.uuid4()), photo(JPEG))

    workshop.add_labour_line(ro_id, {"operation_code": "IGN-COIL", "description": "Replace coil", "hours": "0.5"})
    workshop.approve(ro_id, {})
    with pytest.raises(Conflict) as late:
        workshop.add_finding(ro_id, FINDING)
    assert "status" in late.value.details
    assert workshop.get_repair_order(ro_id)["findings"] == []


def test_approving_while_diagnosing_presents_the_quote_and_ends_the_diagnosis(workshop, publish_event):
    ro_id = opened_order(workshop, publish_event)
    workshop.start_diagnosis(ro_id, {"technician_id": WANG})
    workshop.add_finding(ro_id, FINDING)
    workshop.add_labour_line(ro_id, {"operation_code": "IGN-COIL", "description": "Replace coil", "hours": "0.5"})
    approved = workshop.approve(ro_id, {})
    assert [c["to_status"] for c in approved["history"]] == ["opened", "diagnosing", "awaiting_approval", "approved"]
    assert workshop.get_diagnosis(ro_id)["sessions"][0]["finished_at"] is not None
