"""Operators' tool for parked events: `python -m svckit.deadletters <amqp-uri> show|replay <queue>.dead-letter`.

`show` prints each parked message's event, attempts and last error without removing it;
`replay` moves every parked message back to the queue it failed in, with its attempts
reset, once the cause is fixed. The consumer's duplicate check makes a replay safe.
"""
import json
import sys

from kombu import Connection, Exchange

SUFFIX = ".dead-letter"


def parked(amqp_uri, dead_letter_queue):
    """Every message in the queue as (headers, body), left in place."""
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        messages = []
        while True:
            message = channel.basic_get(dead_letter_queue, no_ack=False)
            if message is None:
                break
            messages.append((dict(message.headers or {}), message.body))
        channel.close()  # unacked messages go back to the queue, in order
        return messages


def replay(amqp_uri, dead_letter_queue):
    """Move every parked message back to its queue; returns how many were moved."""
    if not dead_letter_queue.endswith(SUFFIX):
        raise ValueError(f"{dead_letter_queue} is not a dead-letter queue (…{SUFFIX})")
    target = dead_letter_queue[: -len(SUFFIX)]
    moved = 0
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        channel = conn.channel()
        producer = conn.Producer(channel)
        while True:
            message = channel.basic_get(dead_letter_queue, no_ack=False)
            if message is None:
                break
            headers = {k: v for k, v in (message.headers or {}).items() if k != "x-attempts"}
            headers["x-replayed"] = int(headers.get("x-replayed", 0)) + 1
            producer.publish(message.body, exchange=Exchange(""), routing_key=target,
                             content_type=message.content_type, content_encoding=message.content_encoding,
                             headers=headers, delivery_mode=2,
                             message_id=message.properties.get("message_id"))
            channel.basic_ack(message.delivery_tag)
            moved += 1
        channel.close()
    return moved


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    if len(argv) != 3 or argv[1] not in ("show", "replay"):
        print(__doc__, file=sys.stderr)
        return 2
    amqp_uri, action, queue = argv
    if action == "replay":
        print(f"replayed {replay(amqp_uri, queue)} message(s) to {queue[: -len(SUFFIX)]}")
        return 0
    for headers, body in parked(amqp_uri, queue):
        envelope = json.loads(body) if isinstance(body, (bytes, str)) else body
        print(json.dumps({"event_id": envelope.get("event_id") if isinstance(envelope, dict) else None,
                          "event_type": envelope.get("event_type") if isinstance(envelope, dict) else None,
                          "attempts": headers.get("x-attempts"), "error": headers.get("x-last-error")},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
