"""The transactional outbox and the reliable consumers, on the real broker and PostgreSQL.

Two throw-away services live in this module: `outbox_probe` writes a note and emits
`probe_written` through its outbox; `consumer_probe` consumes it with `@consumes` and,
as told by the payload, fails always, fails the first N attempts or naps first. When it
succeeds it records the note and emits `probe_applied` of its own.
"""
import json
import logging
import time
import uuid
from collections import Counter
from datetime import datetime

import eventlet
import pytest
from kombu import Connection, Queue
from kombu.exceptions import OperationalError
from marshmallow import Schema, fields
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.orm import sessionmaker

from svckit.db import Database, UnitOfWork, create_engine_for, plumbing_tables
from svckit.errors import Conflict
from svckit.events import EventContract, consumes
from svckit.outbox import OutboxRelay
from svckit.testing.events import publish_raw
from svckit.testing.infrastructure import free_port
from svckit.testing.subscriber import Subscriber, wait_until

SITE = "SITE-1"
PRODUCER = "outbox_probe"
CONSUMER = "consumer_probe"
HANDLER_QUEUE = f"evt-{PRODUCER}-probe_written--{CONSUMER}.on_probe_written"
DEAD_LETTER_QUEUE = f"{HANDLER_QUEUE}.dead-letter"
RETRY_SETTINGS = {"EVENT_RETRY_DELAY_MS": 100, "EVENT_MAX_ATTEMPTS": 3, "OUTBOX_POLL_SECONDS": 0.2}


class ProbeWrittenPayload(Schema):
    key = fields.String(required=True)
    text = fields.String(load_default="")
    fail_first = fields.Integer(load_default=0)
    always_fail = fields.Boolean(load_default=False)
    nap = fields.Float(load_default=0.0)


class ProbeAppliedPayload(Schema):
    key = fields.String(required=True)


PROBE_WRITTEN = EventContract(PRODUCER, "probe_written", 1, ProbeWrittenPayload, "A probe note was written.")
PROBE_APPLIED = EventContract(CONSUMER, "probe_applied", 1, ProbeAppliedPayload, "A probe note was applied.")

PRODUCER_METADATA = MetaData()
OUTBOX, _ = plumbing_tables(PRODUCER_METADATA)
NOTES = Table("notes", PRODUCER_METADATA,
              Column("id", Integer, primary_key=True, autoincrement=True),
              Column("key", String(64), nullable=False),
              Column("text", String(200), nullable=False))

CONSUMER_METADATA = MetaData()
CONSUMER_OUTBOX, PROCESSED = plumbing_tables(CONSUMER_METADATA)
APPLIED = Table("applied", CONSUMER_METADATA,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("key", String(64), nullable=False),
                Column("event_id", String(36), nullable=False),
                Column("correlation_id", String(64)),
                Column("attempt", Integer, nullable=False))

ATTEMPTS = Counter()  # handler runs per key: the service runs in this process


class ProducerService:
    name = PRODUCER
    db = Database(PRODUCER_METADATA)

    @rpc
    def write(self, key, text=""):
        self.db.execute(NOTES.insert().values(key=key, text=text))
        envelope = self.db.emit(PROBE_WRITTEN, {"key": key, "text": text}, site_id=SITE)
        self.db.commit()
        return envelope["event_id"]

    @rpc
    def write_then_fail(self, key):
        self.db.execute(NOTES.insert().values(key=key, text="never"))
        self.db.emit(PROBE_WRITTEN, {"key": key, "text": "never"}, site_id=SITE)
        raise Conflict("Changed my mind after emitting.", {"key": [key]})


class ConsumerService:
    name = CONSUMER
    db = Database(CONSUMER_METADATA)

    @consumes(PROBE_WRITTEN)
    def on_probe_written(self, event):
        key = event.payload["key"]
        ATTEMPTS[key] += 1
        attempt = ATTEMPTS[key]
        if event.payload["nap"]:
            eventlet.sleep(event.payload["nap"])
        if event.payload["always_fail"] or attempt <= event.payload["fail_first"]:
            raise RuntimeError(f"probe failure {attempt} of {key}")
        self.db.execute(APPLIED.insert().values(key=key, event_id=event.event_id,
                                                correlation_id=event.correlation_id, attempt=attempt))
        self.db.emit(PROBE_APPLIED, {"key": key}, site_id=event.site_id)


# --- helpers ---

def new_key():
    return uuid.uuid4().hex


def probe(key, **extra):
    return {"key": key, "text": "", "fail_first": 0, "always_fail": False, "nap": 0.0, **extra}


def fresh_database(databases, name, metadata):
    url = databases.fresh_url(name)
    engine = create_engine_for(url)
    metadata.create_all(engine)
    return url, engine


def rows(engine, table, **where):
    query = select(table).order_by(*table.primary_key.columns)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        return conn.execute(query).mappings().all()


def outbox_rows_for(engine, outbox, key):
    return [row for row in rows(engine, outbox) if json.loads(row["body"])["payload"]["key"] == key]


def dead_letter_queue(conn):
    """The consumer's dead-letter queue, declared as the handler declares it (it does so at its first park)."""
    queue = Queue(DEAD_LETTER_QUEUE, durable=True)(conn.default_channel)
    queue.declare()
    return queue


def take_dead_letter(broker, message_id, timeout=10):
    """The message with `message_id` from the dead-letter queue (acked); others are left in the queue."""
    with Connection(broker.uri) as conn:
        queue = dead_letter_queue(conn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = queue.get(no_ack=False)
            if message is None:
                eventlet.sleep(0.05)
                continue
            if message.properties.get("message_id") == message_id:
                message.ack()
                return message
        # unacked messages go back to the queue when the connection closes
    raise AssertionError(f"message {message_id} did not reach {DEAD_LETTER_QUEUE} within {timeout}s")


def dead_letter_ids(broker):
    """message_ids now waiting in the dead-letter queue (they stay there)."""
    found = []
    with Connection(broker.uri) as conn:
        queue = dead_letter_queue(conn)
        while (message := queue.get(no_ack=False)) is not None:
            found.append(message.properties.get("message_id"))
    return found


# --- fixtures ---

@pytest.fixture
def producer_db(databases):
    url, engine = fresh_database(databases, PRODUCER, PRODUCER_METADATA)
    yield url, engine
    engine.dispose()


@pytest.fixture
def consumer_db(databases):
    url, engine = fresh_database(databases, CONSUMER, CONSUMER_METADATA)
    yield url, engine
    engine.dispose()


@pytest.fixture
def producer(container_factory, service_config, producer_db):
    container = container_factory(ProducerService, service_config(PRODUCER, database=producer_db[0], **RETRY_SETTINGS))
    container.start()
    return container


@pytest.fixture
def start_consumer(container_factory, service_config, consumer_db):
    def start(**overrides):
        config = service_config(CONSUMER, database=consumer_db[0], **RETRY_SETTINGS)
        config.update(overrides)
        container = container_factory(ConsumerService, config)
        container.start()
        return container

    return start


@pytest.fixture
def rpc_with(broker):
    opened = []

    def make(context_data):
        proxy = ClusterRpcProxy({"AMQP_URI": broker.uri}, timeout=15, context_data=context_data)
        opened.append(proxy)
        return proxy.start()

    yield make
    for proxy in opened:
        proxy.stop()


# --- the outbox ---

def test_committed_event_reaches_an_outside_subscriber_in_the_full_envelope(producer, producer_db, subscribe, rpc_with):
    _, engine = producer_db
    subscriber = subscribe((f"{PRODUCER}.events", "probe_written"))
    key = new_key()
    correlation_id = f"corr-{key}"

    event_id = rpc_with({"correlation_id": correlation_id}).outbox_probe.write(key, "hello")

    envelope = subscriber.wait_for("probe_written", lambda body: body["payload"]["key"] == key, timeout=10)
    assert set(envelope) == {"event_id", "event_type", "version", "source", "occurred_at", "site_id",
                             "correlation_id", "payload"}
    assert envelope["event_id"] == event_id
    assert str(uuid.UUID(envelope["event_id"])) == envelope["event_id"]
    assert (envelope["event_type"], envelope["version"], envelope["source"]) == ("probe_written", 1, PRODUCER)
    assert envelope["site_id"] == SITE
    assert envelope["correlation_id"] == correlation_id
    assert envelope["payload"] == {"key": key, "text": "hello"}
    occurred_at = datetime.fromisoformat(envelope["occurred_at"])
    assert occurred_at.utcoffset().total_seconds() == 0

    delivered = [m for m in subscriber.received if m["body"]["event_id"] == event_id]
    assert len(delivered) == 1
    assert delivered[0]["exchange"] == f"{PRODUCER}.events"
    assert delivered[0]["routing_key"] == "probe_written"
    assert delivered[0]["content_type"] == "application/json"
    assert delivered[0]["headers"].get("nameko.correlation_id") == correlation_id

    [row] = wait_until(lambda: [r for r in outbox_rows_for(engine, OUTBOX, key) if r["published_at"] is not None],
                       timeout=5, message="outbox row marked published")
    assert row["event_id"] == event_id
    assert row["published_at"] >= row["created_at"]
    assert [r["text"] for r in rows(engine, NOTES, key=key)] == ["hello"]


def test_event_of_a_rolled_back_transaction_is_never_published(producer, producer_db, subscribe, rpc):
    _, engine = producer_db
    subscriber = subscribe((f"{PRODUCER}.events", "probe_written"))
    client = rpc().outbox_probe
    doomed, later = new_key(), new_key()

    with pytest.raises(Conflict) as refused:
        client.write_then_fail(doomed)
    assert refused.value.details == {"key": [doomed]}

    client.write(later)  # committed after the failure: once it is out, the relay has passed the doomed one
    subscriber.wait_for("probe_written", lambda body: body["payload"]["key"] == later, timeout=10)
    assert [body["payload"]["key"] for body in subscriber.events("probe_written")] == [later]
    assert outbox_rows_for(engine, OUTBOX, doomed) == []
    assert rows(engine, NOTES, key=doomed) == []
    assert len(outbox_rows_for(engine, OUTBOX, later)) == 1


def unit_of_work(engine, on_commit=None):
    """The unit of work `Database` gives a producer worker, outside a container."""
    return UnitOfWork(sessionmaker(bind=engine, expire_on_commit=False)(), PRODUCER, {}, OUTBOX, None,
                      on_commit=on_commit)


def test_events_written_while_the_broker_is_unreachable_go_out_later_in_commit_order(producer_db, broker):
    _, engine = producer_db
    unreachable = f"amqp://guest:guest@127.0.0.1:{free_port()}/"
    relay_down = OutboxRelay(engine, OUTBOX, PRODUCER, unreachable)
    keys = [new_key() for _ in range(3)]
    for key in keys:  # three transactions, committed one after the other
        unit = unit_of_work(engine, on_commit=relay_down.wake)
        unit.execute(NOTES.insert().values(key=key, text="offline"))
        unit.emit(PROBE_WRITTEN, {"key": key, "text": "offline"}, site_id=SITE)
        unit.commit()
        unit.close()

    with pytest.raises((OperationalError, OSError)):
        relay_down.publish_pending()
    assert [r["published_at"] for r in rows(engine, OUTBOX)] == [None, None, None]

    subscriber = Subscriber(broker.uri, (f"{PRODUCER}.events", "probe_written")).start()
    try:
        relay_up = OutboxRelay(engine, OUTBOX, PRODUCER, broker.uri)
        assert relay_up.publish_pending() == 3
        wait_until(lambda: len(subscriber.events("probe_written")) >= 3, timeout=10, message="three events")
        eventlet.sleep(0.2)
        assert [body["payload"]["key"] for body in subscriber.events("probe_written")] == keys
        assert relay_up.publish_pending() == 0
    finally:
        subscriber.stop()
    assert all(r["published_at"] is not None for r in rows(engine, OUTBOX))


def test_two_relays_still_publish_in_commit_order(producer_db, broker):
    _, engine = producer_db
    first, second = new_key(), new_key()
    unit = unit_of_work(engine)
    unit.emit(PROBE_WRITTEN, {"key": first}, site_id=SITE)
    unit.commit()
    unit.close()

    stuck_replica = OutboxRelay(engine, OUTBOX, PRODUCER, f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    stuck = eventlet.spawn(stuck_replica.publish_pending)  # claims `first`, then retries for seconds

    def first_is_claimed():
        with engine.connect() as conn:
            query = select(OUTBOX.c.id).where(OUTBOX.c.published_at.is_(None)).with_for_update(skip_locked=True)
            return conn.execute(query).all() == []
    wait_until(first_is_claimed, timeout=5, message="the stuck replica holds the first event")

    unit = unit_of_work(engine)
    unit.emit(PROBE_WRITTEN, {"key": second}, site_id=SITE)
    unit.commit()
    unit.close()
    subscriber = Subscriber(broker.uri, (f"{PRODUCER}.events", "probe_written")).start()
    try:
        healthy_replica = OutboxRelay(engine, OUTBOX, PRODUCER, broker.uri)
        healthy_replica.publish_pending()
        with pytest.raises((OperationalError, OSError)):
            stuck.wait()
        healthy_replica.publish_pending()
        wait_until(lambda: len(subscriber.events("probe_written")) >= 2, timeout=10, message="both events")
        order = [body["payload"]["key"] for body in subscriber.events("probe_written")]
    finally:
        subscriber.stop()
    assert order == [first, second]


# --- the consumers ---

def test_a_redelivered_event_is_applied_once(start_consumer, consumer_db, publish_event):
    _, engine = consumer_db
    start_consumer(max_workers=1)  # one message at a time, in queue order
    key, sentinel = new_key(), new_key()

    sent = publish_event(PROBE_WRITTEN, probe(key), site_id=SITE)
    publish_event(PROBE_WRITTEN, probe(key), site_id=SITE, event_id=sent["event_id"])  # redelivered
    publish_event(PROBE_WRITTEN, probe(sentinel), site_id=SITE)

    wait_until(lambda: rows(engine, APPLIED, key=sentinel), timeout=10, message="sentinel applied")
    applied = rows(engine, APPLIED, key=key)
    assert [(r["event_id"], r["attempt"]) for r in applied] == [(sent["event_id"], 1)]
    assert ATTEMPTS[key] == 1
    processed = rows(engine, PROCESSED, event_id=sent["event_id"])
    assert [r["consumer"] for r in processed] == [f"{CONSUMER}.on_probe_written"]
    assert len(rows(engine, PROCESSED)) == 2


def test_the_same_event_delivered_twice_at_once_is_applied_once(start_consumer, consumer_db, publish_event, caplog):
    caplog.set_level(logging.INFO, logger="svckit.events")
    _, engine = consumer_db
    start_consumer()  # several workers: both copies are handled side by side
    key = new_key()

    sent = publish_event(PROBE_WRITTEN, probe(key, nap=0.5), site_id=SITE)
    publish_event(PROBE_WRITTEN, probe(key, nap=0.5), site_id=SITE, event_id=sent["event_id"])

    wait_until(lambda: any(f"skipped event {sent['event_id']}" in r.getMessage() for r in caplog.records),
               timeout=10, message="the second copy recognised as a duplicate")
    wait_until(lambda: rows(engine, APPLIED, key=key), timeout=5, message="first copy applied")
    assert len(rows(engine, APPLIED, key=key)) == 1
    assert ATTEMPTS[key] == 1
    assert len(rows(engine, PROCESSED, event_id=sent["event_id"])) == 1


def test_a_handler_that_fails_twice_is_retried_and_applied_once(start_consumer, consumer_db, publish_event, broker):
    _, engine = consumer_db
    start_consumer()
    key = new_key()

    sent = publish_event(PROBE_WRITTEN, probe(key, fail_first=2), site_id=SITE)

    [row] = wait_until(lambda: rows(engine, APPLIED, key=key), timeout=10, message="applied after retries")
    assert row["attempt"] == 3
    eventlet.sleep(0.3)  # a further (wrong) retry would have run by now
    assert ATTEMPTS[key] == 3
    assert len(rows(engine, APPLIED, key=key)) == 1
    assert len(rows(engine, PROCESSED, event_id=sent["event_id"])) == 1
    assert sent["event_id"] not in dead_letter_ids(broker)


def test_a_handler_that_always_fails_ends_in_the_dead_letter_queue(start_consumer, consumer_db, publish_event, broker):
    _, engine = consumer_db
    start_consumer()
    key = new_key()

    sent = publish_event(PROBE_WRITTEN, probe(key, always_fail=True), site_id=SITE)

    message = take_dead_letter(broker, sent["event_id"])
    assert message.headers["x-attempts"] == RETRY_SETTINGS["EVENT_MAX_ATTEMPTS"]
    assert message.headers["x-last-error"] == f"RuntimeError: probe failure 3 of {key}"
    # the last attempt came back from the retry queue: replaying to where it came from reaches this consumer only
    assert (message.headers["x-source-exchange"], message.headers["x-source-routing-key"]) == ("", HANDLER_QUEUE)
    assert json.loads(message.body) == sent  # parked as published, ready to be replayed
    assert ATTEMPTS[key] == 3
    assert rows(engine, APPLIED, key=key) == []
    assert rows(engine, PROCESSED, event_id=sent["event_id"]) == []


def test_a_message_that_is_not_a_valid_envelope_is_dead_lettered_at_once(
        start_consumer, consumer_db, publish_event, broker):
    _, engine = consumer_db
    start_consumer()
    good = publish_event(PROBE_WRITTEN, probe(new_key()), site_id=SITE)
    not_an_object = str(uuid.uuid4())
    not_an_envelope = str(uuid.uuid4())
    breaks_contract = str(uuid.uuid4())
    publish_raw(broker.uri, PRODUCER, "probe_written", json.dumps(["not", "an", "object"]), not_an_object)
    publish_raw(broker.uri, PRODUCER, "probe_written", json.dumps({"event_id": not_an_envelope}), not_an_envelope)
    bad_payload = {**good, "event_id": breaks_contract, "payload": {"text": "no key"}}
    publish_raw(broker.uri, PRODUCER, "probe_written", json.dumps(bad_payload), breaks_contract)

    errors = {}
    for message_id in (not_an_object, not_an_envelope, breaks_contract):
        message = take_dead_letter(broker, message_id)
        assert message.headers["x-attempts"] == 1
        assert (message.headers["x-source-exchange"], message.headers["x-source-routing-key"]) == (
            f"{PRODUCER}.events", "probe_written")
        errors[message_id] = message.headers["x-last-error"]
    assert errors[not_an_object] == "PoisonMessage: Expected a JSON object envelope, got list"
    assert errors[not_an_envelope].startswith("PoisonMessage: ")
    assert "event_type" in errors[not_an_envelope] and "payload" in errors[not_an_envelope]
    assert errors[breaks_contract].startswith("PoisonMessage: ") and "'key'" in errors[breaks_contract]
    wait_until(lambda: rows(engine, APPLIED, key=good["payload"]["key"]), timeout=5, message="good one applied")
    assert len(rows(engine, PROCESSED)) == 1


def test_a_message_that_is_not_json_is_dead_lettered_at_once(start_consumer, consumer_db, publish_event, broker):
    _, engine = consumer_db
    start_consumer(max_workers=1)  # one message at a time: the bad one is dealt with before the sentinel
    not_json = str(uuid.uuid4())
    publish_raw(broker.uri, PRODUCER, "probe_written", "{not json", not_json)
    sentinel = publish_event(PROBE_WRITTEN, probe(new_key()), site_id=SITE)
    wait_until(lambda: rows(engine, APPLIED, key=sentinel["payload"]["key"]), timeout=5, message="sentinel applied")

    message = take_dead_letter(broker, not_json, timeout=1)
    assert message.headers["x-attempts"] == 1
    assert message.body in ("{not json", b"{not json")


def test_correlation_id_of_a_consumed_event_carries_into_the_events_it_emits(
        producer, start_consumer, consumer_db, rpc_with, subscribe, publish_event):
    start_consumer()
    subscriber = subscribe((f"{CONSUMER}.events", "probe_applied"))

    published = publish_event(PROBE_WRITTEN, probe(key := new_key()), site_id="SITE-9", correlation_id="from-outside")
    applied = subscriber.wait_for("probe_applied", lambda body: body["payload"]["key"] == key, timeout=10)
    assert applied["correlation_id"] == "from-outside"
    assert applied["site_id"] == "SITE-9"
    assert applied["event_id"] != published["event_id"]

    chained = new_key()  # a whole chain: RPC call -> producer's event -> consumer's event
    rpc_with({"correlation_id": f"request-{chained}"}).outbox_probe.write(chained)
    applied = subscriber.wait_for("probe_applied", lambda body: body["payload"]["key"] == chained, timeout=10)
    assert applied["correlation_id"] == f"request-{chained}"
    assert rows(consumer_db[1], APPLIED, key=chained)[0]["correlation_id"] == f"request-{chained}"
