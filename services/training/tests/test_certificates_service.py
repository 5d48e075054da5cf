"""Certificates on the training service, on the real broker and PostgreSQL."""
import uuid
from datetime import date, timedelta

import pytest

from svckit.auth import Caller
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from training.service import TrainingService

SITE = "CERT-1"
OTHER_SITE = "CERT-2"


def caller(*roles, sites=(SITE,)):
    return Caller(user_id=str(uuid.uuid4()), username="zhang.wei", roles=frozenset(roles), sites=frozenset(sites))


@pytest.fixture
def training(container_factory, service_config):
    container_factory(TrainingService, service_config("training")).start()


@pytest.fixture
def trainer(training, rpc):
    return rpc(caller=caller("trainer")).training


@pytest.fixture
def wang(trainer):
    return trainer.create_staff({"site_id": SITE, "name": "王师傅", "role": "technician", "grade": "senior"})


def hv_certificate(**overrides):
    return {"skill_code": "HV_EV", "name": "新能源汽车高压电工作业证", "number": f"HV-{uuid.uuid4().hex[:8]}",
            "issued_on": (date.today() - timedelta(days=30)).isoformat(),
            "expires_on": (date.today() + timedelta(days=335)).isoformat(), **overrides}


def test_a_granted_certificate_qualifies_its_holder_and_is_announced(trainer, wang, subscribe):
    events = subscribe(("training.events", "certificate_granted"))
    granted = trainer.grant_certificate(wang["staff_id"], hv_certificate(number="HV-0001-A"))
    assert (granted["skill_code"], granted["status"], granted["granted_by"]) == ("HV_EV", "valid", "zhang.wei")
    assert granted["skill"] == "high-voltage work on electric vehicles"
    assert [c["certificate_id"] for c in trainer.list_certificates(wang["staff_id"])] == [granted["certificate_id"]]
    assert trainer.qualifications(wang["staff_id"], {})["skill_codes"] == ["HV_EV"]
    announced = events.wait_for("certificate_granted", lambda e: e["payload"]["staff_id"] == wang["staff_id"])
    assert (announced["payload"]["number"], announced["site_id"]) == ("HV-0001-A", SITE)


def test_qualifications_on_a_day_leave_out_expired_and_revoked_certificates_and_say_why(trainer, wang):
    trainer.grant_certificate(wang["staff_id"], hv_certificate(issued_on="2025-01-01", expires_on="2025-12-31"))
    alignment = trainer.grant_certificate(wang["staff_id"], hv_certificate(skill_code="ALIGNMENT", name="四轮定位",
                                                                            issued_on="2025-01-01", expires_on=None))
    staff_id = wang["staff_id"]
    assert trainer.qualifications(staff_id, {"on_day": "2025-12-31"})["skill_codes"] == ["ALIGNMENT", "HV_EV"]
    on_new_year = trainer.qualifications(staff_id, {"on_day": "2026-01-01"})
    assert on_new_year["skill_codes"] == ["ALIGNMENT"]
    assert [(c["skill_code"], c["status"], c["expires_on"]) for c in on_new_year["lapsed"]] == [
        ("HV_EV", "expired", "2025-12-31")]

    revoked = trainer.revoke_certificate(staff_id, alignment["certificate_id"], {"reason": "Failed the re-check"})
    assert (revoked["status"], revoked["revoked_reason"], revoked["revoked_by"]) == (
        "revoked", "Failed the re-check", "zhang.wei")
    assert trainer.qualifications(staff_id, {"on_day": "2025-06-01"})["skill_codes"] == ["HV_EV"]
    with pytest.raises(Conflict):
        trainer.revoke_certificate(staff_id, alignment["certificate_id"], {"reason": "Twice"})


def test_bad_certificates_are_refused_naming_the_field_and_nothing_is_granted(trainer, wang):
    with pytest.raises(InvalidInput) as refused:
        trainer.grant_certificate(wang["staff_id"], hv_certificate(skill_code="hv", issued_on="yesterday",
                                                                   colour="red"))
    assert set(refused.value.details) == {"skill_code", "issued_on", "colour"}
    first = trainer.grant_certificate(wang["staff_id"], hv_certificate(number="DUP-1"))
    with pytest.raises(Conflict) as duplicate:
        trainer.grant_certificate(wang["staff_id"], hv_certificate(number="DUP-1"))
    assert "number" in duplicate.value.details
    with pytest.raises(NotFound):
        trainer.grant_certificate(str(uuid.uuid4()), hv_certificate())
    with pytest.raises(NotFound):
        trainer.revoke_certificate(wang["staff_id"], str(uuid.uuid4()), {"reason": "No such certificate"})
    assert [c["certificate_id"] for c in trainer.list_certificates(wang["staff_id"])] == [first["certificate_id"]]


def test_only_trainers_and_site_managers_of_the_site_grant_and_revoke(trainer, wang, rpc):
    with pytest.raises(Forbidden):
        rpc(caller=caller("technician")).training.grant_certificate(wang["staff_id"], hv_certificate())
    with pytest.raises(Forbidden):
        rpc(caller=caller("trainer", sites=(OTHER_SITE,))).training.grant_certificate(wang["staff_id"],
                                                                                      hv_certificate())
    with pytest.raises(Forbidden):
        rpc(caller=caller("foreman", sites=(OTHER_SITE,))).training.qualifications(wang["staff_id"], {})
    granted = rpc(caller=caller("site_manager")).training.grant_certificate(wang["staff_id"], hv_certificate())
    with pytest.raises(Forbidden):
        rpc(caller=caller("foreman")).training.revoke_certificate(wang["staff_id"], granted["certificate_id"],
                                                                  {"reason": "Not mine to revoke"})
    assert rpc(caller=caller("foreman")).training.qualifications(wang["staff_id"], {})["skill_codes"] == ["HV_EV"]
