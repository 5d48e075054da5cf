"""The outbox relay: publishes committed events, in order, with publisher confirms.

Events are written to the service's `outbox` table in the same transaction as the
change they describe. The relay reads unpublished rows in id order, publishes each to
the topic exchange `<service>.events` with the event type as routing key (nameko's
convention, so `@event_handler` and outside subscribers both work), waits for the
broker's confirm and only then marks the row published. A crash between publish and
mark means the event goes out again: delivery is at least once, and consumers skip
duplicates by `event_id`. On PostgreSQL, replicas of a service take turns: a relay
publishes only while it holds the service's advisory lock, so events leave in outbox
order even when one replica is stuck on a broker that does not answer.
"""
import json
import logging
import zlib

import eventlet
from eventlet.event import Event
from kombu import Exchange
from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT
from sqlalchemy import select, text, update

from svckit.db import is_postgres, utcnow

log = logging.getLogger(__name__)

PUBLISH_RETRY_POLICY = {"max_retries": 3, "interval_start": 0.5, "interval_step": 1, "interval_max": 5}


def event_exchange(service_name):
    """The exchange nameko's EventDispatcher and event_handler use for `service_name`."""
    return Exchange(f"{service_name}.events", type="topic", durable=True, delivery_mode=PERSISTENT)


class OutboxRelay:
    def __init__(self, engine, outbox, service_name, amqp_uri, poll_seconds=1.0, batch_size=100):
        self.engine = engine
        self.outbox = outbox
        self.exchange = event_exchange(service_name)
        self.publisher = Publisher(
            amqp_uri, use_confirms=True, delivery_mode=PERSISTENT,
            retry=True, retry_policy=PUBLISH_RETRY_POLICY, declare=[self.exchange],
        )
        self.lock_key = zlib.crc32(f"outbox:{service_name}".encode())
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._stopping = False
        self._wake = Event()

    def wake(self):
        """Called after a commit: publish now rather than at the next poll."""
        if not self._wake.ready():
            self._wake.send(True)

    def stop(self):
        self._stopping = True
        self.wake()

    def run(self):
        failures = 0
        while not self._stopping:
            self._wake = Event()
            try:
                published = self.publish_pending()
                failures = 0
            except Exception:
                failures += 1
                log.exception("outbox relay failed to publish; retrying")
                eventlet.sleep(min(30, 0.5 * 2 ** failures))
                continue
            if published < self.batch_size:
                with eventlet.Timeout(self.poll_seconds, False):
                    self._wake.wait()

    def publish_pending(self):
        """Publish one batch of unpublished events; returns how many went out."""
        query = (
            select(self.outbox.c.id, self.outbox.c.event_id, self.outbox.c.event_type, self.outbox.c.body)
            .where(self.outbox.c.published_at.is_(None))
            .order_by(self.outbox.c.id)
            .limit(self.batch_size)
        )
        with self.engine.begin() as conn:
            if is_postgres(self.engine):
                if not conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": self.lock_key}).scalar():
                    return 0  # another replica is relaying
                query = query.with_for_update()
            rows = conn.execute(query).all()
            for row in rows:
                self.publish(row)
            if rows:
                conn.execute(
                    update(self.outbox)
                    .where(self.outbox.c.id.in_([row.id for row in rows]))
                    .values(published_at=utcnow())
                )
        return len(rows)

    def publish(self, row):
        correlation_id = json.loads(row.body).get("correlation_id")
        headers = {"nameko.correlation_id": correlation_id} if correlation_id else {}
        self.publisher.publish(
            row.body,
            exchange=self.exchange,
            routing_key=row.event_type,
            content_type="application/json",
            content_encoding="utf-8",
            message_id=row.event_id,
            headers=headers,
        )
