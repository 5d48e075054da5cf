"""Events: the envelope, the contract of a payload, and consumers that never apply twice.

Every event travels in the same envelope::

    {"event_id": uuid, "event_type": "repair_completed", "version": 1, "source": "workshop",
     "occurred_at": ISO-8601 UTC, "site_id": "...", "correlation_id": "...", "payload": {...}}

Producers write events with `UnitOfWork.emit` (outbox). Consumers declare
`@consumes(CONTRACT)`: the envelope and payload are validated, the event is claimed
in the consumer's own database in the same transaction as the handler's effect (a
redelivery is skipped), and a handler that fails is retried after a delay and, after
`EVENT_MAX_ATTEMPTS` attempts, parked in a dead-letter queue instead of being lost.
"""
import functools
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from kombu import Exchange, Queue
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler
from nameko.messaging import QueueConsumer

from svckit.outbox import PUBLISH_RETRY_POLICY

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_MS = 5000


class EventContract:
    """The wire contract of one event type: who publishes it and what its payload holds.

    Versions only ever add fields; a change that removes or redefines a field is a new
    event type. Consumers ignore fields they do not know.
    """

    def __init__(self, source, event_type, version, schema, summary):
        self.source = source
        self.event_type = event_type
        self.version = version
        self.schema = schema
        self.summary = summary

    def __repr__(self):
        return f"<EventContract {self.source}.{self.event_type} v{self.version}>"

    def check(self, payload):
        """A producer's payload, verified against the contract (a mismatch is a bug, not bad input)."""
        errors = self.schema(unknown=RAISE).validate(payload)
        if errors:
            raise ValueError(f"{self.source}.{self.event_type} payload breaks its contract: {errors}")
        return payload

    def taken_from(self, view):
        """The payload made of the fields this contract names, taken from a larger view of the record."""
        return {name: view[name] for name in self.schema().fields}

    def parse(self, payload):
        """A consumer's view of the payload: typed values, unknown fields ignored."""
        return self.schema(unknown=EXCLUDE).load(payload)


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    source = fields.String(required=True)
    occurred_at = fields.DateTime(required=True)
    site_id = fields.String(required=True)
    correlation_id = fields.String(required=True, allow_none=True)
    payload = fields.Dict(required=True)


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    version: int
    source: str
    occurred_at: datetime
    site_id: str
    correlation_id: str
    payload: dict


def new_envelope(source, event_type, version, site_id, correlation_id, payload):
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "version": version,
        "source": source,
        "occurred_at": datetime.now(timezone.utc).isoformat(),
        "site_id": site_id,
        "correlation_id": correlation_id or str(uuid.uuid4()),
        "payload": payload,
    }


class PoisonMessage(Exception):
    """A message that can never be handled (not an envelope, or breaks the contract)."""


def parse_event(body, contract):
    if not isinstance(body, dict):
        raise PoisonMessage(f"Expected a JSON object envelope, got {type(body).__name__}")
    try:
        envelope = EnvelopeSchema().load(body)
        if envelope["source"] != contract.source or envelope["event_type"] != contract.event_type:
            raise PoisonMessage(f"Envelope is {envelope['source']}.{envelope['event_type']}, expected {contract!r}")
        payload = contract.parse(envelope["payload"])
    except ValidationError as exc:
        raise PoisonMessage(f"{contract!r} invalid: {exc.messages}") from None
    return Event(
        event_id=str(envelope["event_id"]),
        event_type=envelope["event_type"],
        version=envelope["version"],
        source=envelope["source"],
        occurred_at=envelope["occurred_at"],
        site_id=envelope["site_id"],
        correlation_id=envelope["correlation_id"],
        payload=payload,
    )


class ParkingQueueConsumer(QueueConsumer):
    """nameko's queue consumer, except that a body kombu cannot decode is parked, not acked away."""

    def on_decode_error(self, message, exc):
        provider = self._provider_of(message)
        if provider is None:
            return super().on_decode_error(message, exc)
        poison = PoisonMessage(f"Cannot decode the body ({message.content_type}): {exc}")
        try:
            provider.park(message, (PoisonMessage, poison, None))
        except Exception:
            log.exception("could not park undecodable message; leaving it on the queue")
            message.requeue()
            return
        message.ack()

    def _provider_of(self, message):
        tag = message.delivery_info.get("consumer_tag")
        for provider, consumer in self._consumers.items():
            if tag in consumer._active_tags.values():
                return provider
        return None


class ReliableEventHandler(EventHandler):
    """nameko's event_handler, with a retry queue and a dead-letter queue.

    nameko acks an event even when its handler raises, which would lose it. Here a
    failed message is republished (with confirms) to `<queue>.retry`, whose TTL
    dead-letters it back to the handler's queue after EVENT_RETRY_DELAY_MS; after
    EVENT_MAX_ATTEMPTS, or at once for a PoisonMessage, it goes to `<queue>.dead-letter`
    to be inspected and replayed by an operator. Only then is the original acked.
    """

    queue_consumer = ParkingQueueConsumer()

    def setup(self):
        super().setup()
        config = self.container.config
        self.max_attempts = int(config.get("EVENT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
        retry_delay_ms = int(config.get("EVENT_RETRY_DELAY_MS", DEFAULT_RETRY_DELAY_MS))
        name = self.queue.name
        self.retry_queue = Queue(f"{name}.retry", durable=True, queue_arguments={
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": name,
            "x-message-ttl": retry_delay_ms,
        })
        self.dead_letter_queue = Queue(f"{name}.dead-letter", durable=True)
        self.publisher = Publisher(
            config["AMQP_URI"], use_confirms=True, retry=True, retry_policy=PUBLISH_RETRY_POLICY,
            declare=[self.retry_queue, self.dead_letter_queue],
        )

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        try:
            self.park(message, exc_info)
        except Exception:
            log.exception("could not park failed message %s; requeueing it", message.properties.get("message_id"))
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)

    def park(self, message, exc_info):
        exc_type, exc, _ = exc_info
        attempts = int(message.headers.get("x-attempts", 0)) + 1
        poison = issubclass(exc_type, PoisonMessage)
        target = self.dead_letter_queue if poison or attempts >= self.max_attempts else self.retry_queue
        headers = dict(message.headers)
        headers.update({
            "x-attempts": attempts,
            "x-last-error": f"{exc_type.__name__}: {exc}"[:1000],
            "x-source-exchange": message.delivery_info.get("exchange", ""),
            "x-source-routing-key": message.delivery_info.get("routing_key", ""),
        })
        self.publisher.publish(
            message.body,
            exchange=Exchange(""),
            routing_key=target.name,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            message_id=message.properties.get("message_id"),
            headers=headers,
        )
        log.warning("event %s failed (attempt %s): sent to %s", message.properties.get("message_id"), attempts, target.name)


def consumes(contract, db_attribute="db"):
    """Decorate a service method as the idempotent consumer of `contract`'s events.

    The method receives an `Event`; it runs at most once per event_id for this
    consumer, and the unit of work named `db_attribute` is committed after it.
    """

    def decorate(method):
        @functools.wraps(method)
        def handle(service, body):
            event = parse_event(body, contract)
            unit = getattr(service, db_attribute)
            unit.continue_correlation(event.correlation_id)
            consumer = f"{service.name}.{method.__name__}"
            if not unit.claim_event(consumer, event.event_id):
                log.info("%s skipped event %s: already handled", consumer, event.event_id)
                unit.rollback()
                return None
            result = method(service, event)
            unit.commit()
            return result

        return ReliableEventHandler.decorator(contract.source, contract.event_type)(handle)

    return decorate
