"""Database access: one engine per service, one unit of work per worker.

A service declares `db = Database(Base.metadata, migrations="parts:migrations")`. Each
worker gets a `UnitOfWork`: `db.session` for queries, `db.emit(...)` to record an event
in the outbox in the same transaction, `db.commit()` to commit both at once. Commit
inside the entrypoint: nameko answers the caller before `worker_teardown` runs.
"""
import json
import logging
import os
import uuid
from datetime import datetime, timezone

from nameko.extensions import DependencyProvider
from sqlalchemy import (
    BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, create_engine, event,
    func, select,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from svckit.auth import CORRELATION_ID

log = logging.getLogger(__name__)

OUTBOX = "outbox"
PROCESSED_EVENTS = "processed_events"


def utcnow():
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A point in time, always given back aware and in UTC, on PostgreSQL and SQLite alike.

    SQLite keeps no offset, so without this a value read back is naive and cannot be
    compared with one the code just made.
    """
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing a naive datetime {value!r}: say which time zone it is in")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata():
    """A service's MetaData: constraint names that migrations can refer to, and the plumbing tables."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    plumbing_tables(metadata)
    return metadata


def plumbing_tables(metadata: MetaData):
    """Declare the outbox and the consumer tracking table in a service's own metadata.

    The outbox is the service's ordered log of published facts; `processed_events`
    holds one row per (consumer, event) handled, written in the same transaction as
    the handler's effect, so a redelivered event is recognised and skipped.
    """
    outbox = Table(
        OUTBOX, metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("site_id", String(32), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True),
        Index("ix_outbox_unpublished", "published_at", "id"),
    )
    processed = Table(
        PROCESSED_EVENTS, metadata,
        Column("consumer", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    return outbox, processed


def create_engine_for(url):
    """An engine that cooperates with eventlet.

    PostgreSQL goes through psycopg2 in asynchronous mode with an eventlet wait
    callback, so a query waiting on a row lock yields to other green threads.
    SQLite (the zero-setup default) gets a single pooled connection: a worker waiting
    for it waits in a green queue instead of blocking the whole process on a file lock.
    """
    if url.startswith(("postgresql", "postgres:")):
        make_psycopg2_green()
        url = "postgresql+psycopg2://" + url.split("://", 1)[1]  # SQLAlchemy 2.1 would pick psycopg 3
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, pool_timeout=30,
                             connect_args={"options": "-c timezone=UTC"})
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = create_engine(
            url, poolclass=QueuePool, pool_size=1, max_overflow=0, pool_timeout=60,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


_green = False


def make_psycopg2_green():
    global _green
    if _green:
        return
    import psycopg2
    from psycopg2 import extensions
    from eventlet.hubs import trampoline

    def wait_callback(conn, timeout=-1):
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                trampoline(conn.fileno(), read=True)
            elif state == extensions.POLL_WRITE:
                trampoline(conn.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(f"Bad result from poll: {state!r}")

    extensions.set_wait_callback(wait_callback)
    _green = True


def is_postgres(engine):
    return engine.dialect.name == "postgresql"


class UnitOfWork:
    """One worker's database work: a session plus the events to publish with it."""

    def __init__(self, session, service_name, context_data, outbox, processed, on_commit=None):
        self.session = session
        self.service_name = service_name
        self.context_data = context_data
        self._outbox = outbox
        self._processed = processed
        self._on_commit = on_commit

    @property
    def correlation_id(self):
        return self.context_data.get(CORRELATION_ID)

    def continue_correlation(self, correlation_id):
        """Events and RPC calls of this worker carry on the chain `correlation_id` started."""
        if correlation_id:
            self.context_data[CORRELATION_ID] = correlation_id

    def add(self, instance):
        self.session.add(instance)
        return instance

    def get(self, model, ident):
        return self.session.get(model, ident)

    def execute(self, statement):
        return self.session.execute(statement)

    def scalars(self, statement):
        return self.session.scalars(statement)

    def flush(self):
        self.session.flush()

    def emit(self, contract, payload, *, site_id):
        """Record an event in the outbox; it is published only if this transaction commits."""
        from svckit.events import new_envelope

        if contract.source != self.service_name:
            raise ValueError(f"{self.service_name} may not emit {contract.source}.{contract.event_type}")
        envelope = new_envelope(
            source=contract.source,
            event_type=contract.event_type,
            version=contract.version,
            site_id=site_id,
            correlation_id=self.correlation_id,
            payload=contract.check(payload),
        )
        self.session.execute(self._outbox.insert().values(
            event_id=envelope["event_id"],
            event_type=envelope["event_type"],
            site_id=site_id,
            body=json.dumps(envelope, ensure_ascii=False, sort_keys=True),
            created_at=utcnow(),
        ))
        return envelope

    def claim_event(self, consumer, event_id):
        """Record that `consumer` handles `event_id`; False if it already did (a redelivery)."""
        nested = self.session.begin_nested()
        try:
            self.session.execute(self._processed.insert().values(
                consumer=consumer, event_id=event_id, processed_at=utcnow()))
            nested.commit()
            return True
        except IntegrityError:
            nested.rollback()
            return False

    def commit(self):
        self.session.commit()
        if self._on_commit:
            self._on_commit()

    def rollback(self):
        self.session.rollback()

    def close(self):
        self.session.close()

    def health(self):
        """Database reachable, and how many events wait in the outbox."""
        backlog = self.session.execute(
            select(func.count()).select_from(self._outbox).where(self._outbox.c.published_at.is_(None))
        ).scalar_one()
        self.session.rollback()
        return {"database": "ok", "outbox_backlog": backlog}


class Database(DependencyProvider):
    """Engine, migrations, outbox relay and a unit of work per worker for one service."""

    def __init__(self, metadata, migrations=None):
        self.metadata = metadata
        self.migrations = migrations
        self.units = {}

    def setup(self):
        from svckit.outbox import OutboxRelay

        config = self.container.config
        self.url = config["DATABASE_URL"]
        self.engine = create_engine_for(self.url)
        if self.migrations and config.get("MIGRATE_ON_START", True):
            from svckit.migrations import upgrade
            upgrade(self.migrations, self.url, engine=self.engine)
        self.outbox_table = self.metadata.tables[OUTBOX]
        self.processed_table = self.metadata.tables[PROCESSED_EVENTS]
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.relay = OutboxRelay(
            engine=self.engine,
            outbox=self.outbox_table,
            service_name=self.container.service_name,
            amqp_uri=config["AMQP_URI"],
            poll_seconds=float(config.get("OUTBOX_POLL_SECONDS", 1.0)),
        )

    def start(self):
        self.relay_thread = self.container.spawn_managed_thread(self.relay.run, identifier="outbox-relay")

    def stop(self):
        self.relay.stop()
        thread = getattr(self, "relay_thread", None)
        if thread is not None:
            thread.wait()
        self.engine.dispose()

    def kill(self):
        self.relay.stop()
        self.engine.dispose()

    def get_dependency(self, worker_ctx):
        unit = UnitOfWork(
            self.sessionmaker(), self.container.service_name, worker_ctx.data,
            self.outbox_table, self.processed_table, self.relay.wake,
        )
        self.units[worker_ctx] = unit
        return unit

    def worker_teardown(self, worker_ctx):
        unit = self.units.pop(worker_ctx, None)
        if unit is not None:
            unit.close()


def columns(record):
    """A mapped record's column values by name: what an answer's view is dumped from."""
    return {column.key: getattr(record, column.key) for column in record.__table__.columns}


def new_id():
    return str(uuid.uuid4())
