"""Replaying parked events with svckit.deadletters, on the real broker."""
import json

import pytest
from kombu import Connection, Exchange, Queue

from svckit.deadletters import parked, replay


def put(uri, queue, body, headers):
    with Connection(uri) as conn:
        Queue(queue, durable=True)(conn.default_channel).declare()
        conn.Producer().publish(json.dumps(body), exchange=Exchange(""), routing_key=queue,
                                content_type="application/json", headers=headers)


def take_all(uri, queue):
    with Connection(uri) as conn:
        channel = conn.channel()
        found = []
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            found.append((json.loads(message.body), dict(message.headers)))
        return found


def test_parked_messages_are_shown_in_place_and_replayed_to_their_queue_in_order(fresh_broker):
    uri = fresh_broker.uri
    with Connection(uri) as conn:
        Queue("evt-a-b--c.d", durable=True)(conn.default_channel).declare()
    for number in (1, 2):
        put(uri, "evt-a-b--c.d.dead-letter", {"event_id": f"e{number}", "event_type": "b"},
            {"x-attempts": 5, "x-last-error": "KeyError: 'x'"})

    shown = parked(uri, "evt-a-b--c.d.dead-letter")
    assert [headers["x-attempts"] for headers, _ in shown] == [5, 5]
    assert len(parked(uri, "evt-a-b--c.d.dead-letter")) == 2, "showing must not remove them"

    assert replay(uri, "evt-a-b--c.d.dead-letter") == 2
    back = take_all(uri, "evt-a-b--c.d")
    assert [body["event_id"] for body, _ in back] == ["e1", "e2"]
    assert all("x-attempts" not in headers and headers["x-replayed"] == 1 for _, headers in back)
    assert parked(uri, "evt-a-b--c.d.dead-letter") == []


def test_only_a_dead_letter_queue_can_be_replayed(fresh_broker):
    with pytest.raises(ValueError):
        replay(fresh_broker.uri, "evt-a-b--c.d")
