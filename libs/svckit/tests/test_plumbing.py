"""svckit's plumbing without a broker: masked logs, input validation, callers, errors, UTC datetimes."""
import io
import logging
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from marshmallow import Schema, fields, validate
from nameko.exceptions import RemoteError, deserialize, serialize
from sqlalchemy import Column, Integer, MetaData, Table, select, text
from sqlalchemy.exc import StatementError

from svckit.auth import ALL_SITES, CORRELATION_ID, SYSTEM, USER_ID, Caller
from svckit.db import UtcDateTime, create_engine_for
from svckit.errors import (
    Conflict, Forbidden, InvalidInput, NotFound, ServiceError, ServiceTimeout, ServiceUnavailable, Unauthorized,
)
from svckit.logs import MaskPersonalData, mask_phone
from svckit.schemas import load


# --- masked logging ---

@pytest.fixture
def masked_log():
    """A logger whose handler masks personal data; returns (logger, function giving what was written)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger(f"test.masked.{uuid.uuid4().hex}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield logger, lambda: stream.getvalue().splitlines()
    logger.removeHandler(handler)


@pytest.mark.parametrize("written, shown", [
    ("13812345678", "138****5678"),
    ("19987654321", "199****4321"),
    ("+8613812345678", "+86138****5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("+86-13812345678", "+86-138****5678"),
    ("86 13812345678", "86 138****5678"),
])
def test_mobile_numbers_are_masked_in_the_message(masked_log, written, shown):
    logger, output = masked_log
    logger.info(f"customer called from {written}, please ring back")
    assert output() == [f"customer called from {shown}, please ring back"]


@pytest.mark.parametrize("id_number, shown", [
    ("310101199003071234", "310101********1234"),
    ("11010519491231002X", "110105********002X"),
    ("11010519491231002x", "110105********002x"),
])
def test_resident_id_numbers_are_masked(masked_log, id_number, shown):
    logger, output = masked_log
    logger.info(f"owner id {id_number} verified")
    assert output() == [f"owner id {shown} verified"]


def test_email_addresses_are_masked(masked_log):
    logger, output = masked_log
    logger.info("invoice sent to wang.wei@example.com.cn")
    assert output() == ["invoice sent to w***@example.com.cn"]


def test_personal_data_in_arguments_is_masked(masked_log):
    logger, output = masked_log
    logger.info("customer %s phone %s id %s", "li.na@example.com", "13912345678", "44030419851212345X")
    logger.info("mobile as a number: %s", 13812345678)
    logger.info("%(who)s on %(phone)s", {"who": "zhang@example.com", "phone": "+86 15012345678"})
    assert output() == [
        "customer l***@example.com phone 139****5678 id 440304********345X",
        "mobile as a number: 138****5678",
        "z***@example.com on +86 150****5678",
    ]


def test_ordinary_numbers_are_left_alone(masked_log):
    logger, output = masked_log
    logger.info("mileage %d km, labour %s, parts %.2f, order %s", 42000, "680.00", 1234.5, "RO-2026-000123")
    logger.info("VIN 1M8GDM9AXKP042788 at 42000 km billed 680.00 CNY on 2026-11-26 for 12 items")
    logger.info("landline 021-12345678, part 90915-YZZD2")
    assert output() == [
        "mileage 42000 km, labour 680.00, parts 1234.50, order RO-2026-000123",
        "VIN 1M8GDM9AXKP042788 at 42000 km billed 680.00 CNY on 2026-11-26 for 12 items",
        "landline 021-12345678, part 90915-YZZD2",
    ]


def test_numbers_in_arguments_are_formatted_as_asked_and_left_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "mileage %d km, amount %.2f", (42000, 680.0), None)
    MaskPersonalData().filter(record)
    assert record.getMessage() == "mileage 42000 km, amount 680.00"


def test_a_mobile_number_passed_as_an_integer_is_masked_not_lost():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "calling %d", (13812345678,), None)
    MaskPersonalData().filter(record)
    assert record.getMessage() == "calling 138****5678"


def test_personal_data_in_an_exception_traceback_is_masked(masked_log):
    logger, output = masked_log
    try:
        raise ValueError("no customer with phone 13812345678")
    except ValueError:
        logger.exception("lookup failed")
    written = "\n".join(output())
    assert "ValueError: no customer with phone 138****5678" in written
    assert "13812345678" not in written


def test_mobile_numbers_written_in_groups_are_masked(masked_log):
    logger, output = masked_log
    logger.info("customer gave %s", "+86 138 1234 5678")
    logger.info("customer gave %s", "138 1234 5678")
    assert not any("1234 5678" in line for line in output())


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("02112345678") == "021****5678"
    assert mask_phone("1234567") == "*******"
    assert mask_phone("") == ""
    assert mask_phone(None) is None


# --- input validation ---

class Line(Schema):
    part_number = fields.String(required=True)
    quantity = fields.Integer(required=True, validate=validate.Range(min=1))


class Order(Schema):
    site_id = fields.String(required=True)
    mileage_km = fields.Integer(required=True, validate=validate.Range(min=0))
    email = fields.Email(load_default=None)
    lines = fields.List(fields.Nested(Line), load_default=list)


def test_load_returns_the_loaded_value():
    assert load(Order, {"site_id": "SH01", "mileage_km": "42000"}) == {"site_id": "SH01", "mileage_km": 42000,
                                                                       "email": None, "lines": []}
    assert load(Order(), {"site_id": "SH01", "mileage_km": 0, "lines": [{"part_number": "P1", "quantity": 2}]})[
        "lines"] == [{"part_number": "P1", "quantity": 2}]


def test_load_names_every_failing_field():
    with pytest.raises(InvalidInput) as refused:
        load(Order, {"mileage_km": -5, "email": "not-an-address"})
    error = refused.value
    assert set(error.details) == {"site_id", "mileage_km", "email"}
    assert error.details["site_id"] == ["Missing data for required field."]
    assert error.message.startswith("Invalid input: ")
    for field in ("site_id: Missing data for required field.", "mileage_km: Must be greater than or equal to 0.",
                  "email: Not a valid email address."):
        assert field in error.message
    assert str(error) == error.message
    assert (error.status, error.code) == (400, "invalid_input")


def test_load_names_nested_fields_by_their_path():
    with pytest.raises(InvalidInput) as refused:
        load(Order, {"site_id": "SH01", "mileage_km": 1, "lines": [{"part_number": "P1", "quantity": 1},
                                                                    {"part_number": "P2", "quantity": 0}]})
    assert refused.value.details == {"lines": {1: {"quantity": ["Must be greater than or equal to 1."]}}}
    assert refused.value.message == "Invalid input: lines.1.quantity: Must be greater than or equal to 1."


def test_load_refuses_unknown_fields_by_name():
    with pytest.raises(InvalidInput) as refused:
        load(Order, {"site_id": "SH01", "mileage_km": 1, "milage_km": 2})
    assert refused.value.details == {"milage_km": ["Unknown field."]}
    assert "milage_km" in refused.value.message


@pytest.mark.parametrize("body", [["site_id", "SH01"], "SH01", 42])
def test_load_refuses_a_body_that_is_not_an_object(body):
    with pytest.raises(InvalidInput) as refused:
        load(Order, body)
    assert refused.value.message == "The request body must be a JSON object."
    assert refused.value.details == {"_schema": ["Expected an object."]}


def test_load_treats_no_body_as_an_empty_object():
    with pytest.raises(InvalidInput) as refused:
        load(Order, None)
    assert set(refused.value.details) == {"site_id", "mileage_km"}


def test_load_of_a_many_schema_takes_a_list():
    assert load(Line(many=True), [{"part_number": "P1", "quantity": 1}]) == [{"part_number": "P1", "quantity": 1}]


# --- callers ---

ADVISOR = Caller(user_id="u-1", username="wang", roles=frozenset({"service_advisor"}), sites=frozenset({"SH01", "SH02"}))
ADMIN = Caller(user_id="u-2", username="boss", roles=frozenset({"admin"}), sites=frozenset({ALL_SITES}))


def test_require_site():
    ADVISOR.require_site("SH01")
    ADMIN.require_site("GZ07")
    SYSTEM.require_site("GZ07")
    with pytest.raises(Forbidden) as refused:
        ADVISOR.require_site("GZ07")
    assert "wang" in refused.value.message and "GZ07" in refused.value.message
    assert refused.value.details == {"site_id": ["Not one of your sites: ['SH01', 'SH02']."]}


def test_require_role():
    ADVISOR.require_role("service_advisor", "workshop_manager")
    ADMIN.require_role("parts_clerk")
    SYSTEM.require_role("parts_clerk")
    with pytest.raises(Forbidden) as refused:
        ADVISOR.require_role("parts_clerk", "workshop_manager")
    assert refused.value.message == "User wang needs one of the roles parts_clerk, workshop_manager."
    assert refused.value.details == {"roles": ["Requires one of: parts_clerk, workshop_manager."]}
    assert refused.value.status == 403


def test_admin_role_does_not_grant_sites():
    local_admin = Caller(user_id="u-3", username="li", roles=frozenset({"admin"}), sites=frozenset({"SH01"}))
    local_admin.require_role("parts_clerk")
    with pytest.raises(Forbidden):
        local_admin.require_site("GZ07")


def test_caller_round_trips_through_context_data():
    data = ADVISOR.to_context_data()
    assert all(isinstance(value, str) for value in data.values())  # context data travels as AMQP headers
    assert Caller.from_context_data(data) == ADVISOR
    assert Caller.from_context_data(ADMIN.to_context_data()) == ADMIN
    assert Caller.from_context_data({**data, CORRELATION_ID: "c-1"}) == ADVISOR


def test_a_caller_without_roles_or_sites_round_trips():
    nobody = Caller(user_id="u-4", username="temp", roles=frozenset(), sites=frozenset())
    back = Caller.from_context_data(nobody.to_context_data())
    assert back == nobody
    assert not back.is_system
    with pytest.raises(Forbidden):
        back.require_site("SH01")


@pytest.mark.parametrize("data", [{}, {CORRELATION_ID: "c-1"}, {USER_ID: ""}, {USER_ID: None}])
def test_missing_caller_context_is_the_system(data):
    caller = Caller.from_context_data(data)
    assert caller is SYSTEM
    assert caller.is_system and caller.all_sites


# --- errors across the wire ---

@pytest.mark.parametrize("error_class, status", [
    (InvalidInput, 400), (Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
    (ServiceUnavailable, 503), (ServiceTimeout, 504),
])
def test_errors_survive_nameko_serialization(error_class, status):
    details = {"vin": ["Check digit (9th character) is 1, the VIN's characters require X."], "lines": {"0": ["x"]}}
    sent = error_class("车架号不对: vin is wrong.", details)
    received = deserialize(serialize(sent))
    assert type(received) is error_class
    assert isinstance(received, ServiceError)
    assert received.message == "车架号不对: vin is wrong."
    assert received.details == details
    assert received.status == status
    assert str(received) == sent.message


def test_an_unregistered_error_arrives_as_a_remote_error():
    received = deserialize(serialize(ServiceError("boom", {"x": ["y"]})))
    assert isinstance(received, RemoteError)
    assert received.exc_type == "ServiceError"


def test_an_error_without_details_arrives_without_details():
    received = deserialize(serialize(NotFound("No visit v-1.")))
    assert type(received) is NotFound
    assert received.message == "No visit v-1."
    assert received.details is None


# --- UtcDateTime ---

@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path}/times.db")
    yield engine
    engine.dispose()


METADATA = MetaData()
TIMES = Table("times", METADATA, Column("id", Integer, primary_key=True), Column("at", UtcDateTime(), nullable=True))


def test_utc_datetime_on_sqlite_gives_back_aware_utc(sqlite_engine):
    METADATA.create_all(sqlite_engine)
    shanghai = timezone(timedelta(hours=8))
    written = datetime(2026, 11, 26, 17, 30, 15, 123456, tzinfo=shanghai)
    with sqlite_engine.begin() as conn:
        conn.execute(TIMES.insert().values(id=1, at=written))
        conn.execute(TIMES.insert().values(id=2, at=None))
    with sqlite_engine.connect() as conn:
        read = conn.execute(select(TIMES.c.at).where(TIMES.c.id == 1)).scalar_one()
        stored = conn.execute(text("SELECT at FROM times WHERE id = 1")).scalar_one()
        empty = conn.execute(select(TIMES.c.at).where(TIMES.c.id == 2)).scalar_one()
        later = conn.execute(select(TIMES.c.id).where(
            TIMES.c.at > datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc))).scalars().all()
    assert read == written
    assert read.tzinfo == timezone.utc
    assert read == datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=timezone.utc)
    assert str(stored).startswith("2026-11-26 09:30:15")  # kept in UTC
    assert empty is None
    assert later == [1]


def test_utc_datetime_refuses_a_naive_datetime(sqlite_engine):
    METADATA.create_all(sqlite_engine)
    with pytest.raises(StatementError) as refused:
        with sqlite_engine.begin() as conn:
            conn.execute(TIMES.insert().values(id=3, at=datetime(2026, 11, 26, 9, 30)))
    assert isinstance(refused.value.orig, ValueError)
    assert "naive datetime" in str(refused.value.orig)
    with sqlite_engine.connect() as conn:
        assert conn.execute(select(TIMES.c.id)).all() == []
