"""Publishing an event from a test exactly as a service's outbox relay does."""
import json

from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT

from svckit.events import new_envelope
from svckit.outbox import event_exchange


def publish(amqp_uri, contract, payload, site_id="SITE-1", correlation_id=None, **overrides):
    envelope = new_envelope(contract.source, contract.event_type, contract.version, site_id, correlation_id,
                            contract.check(payload))
    envelope.update(overrides)
    publish_raw(amqp_uri, contract.source, contract.event_type, json.dumps(envelope), envelope["event_id"])
    return envelope


def publish_raw(amqp_uri, source, routing_key, body, message_id=None):
    exchange = event_exchange(source)
    Publisher(amqp_uri, use_confirms=True, delivery_mode=PERSISTENT, declare=[exchange]).publish(
        body, exchange=exchange, routing_key=routing_key, content_type="application/json",
        content_encoding="utf-8", message_id=message_id)
