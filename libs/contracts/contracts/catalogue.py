"""Every event of the platform, and the event catalogue (docs/events.md) rendered from them.

`python -m contracts.catalogue > docs/events.md` regenerates the document; a test
checks the committed document matches.
"""
import json

from contracts import crm, parts, quality, reception, training, workshop
from contracts.jsonschema import schema_to_json

EVENTS = [*crm.EVENTS, *parts.EVENTS, *reception.EVENTS, *workshop.EVENTS, *quality.EVENTS, *training.EVENTS]

ENVELOPE_EXAMPLE = {
    "event_id": "0b7c6c1e-4f0e-4d55-9d7e-3f1b8a0f6a21",
    "event_type": "repair_completed",
    "version": 1,
    "source": "workshop",
    "occurred_at": "2026-11-26T09:30:00.123456+00:00",
    "site_id": "SH01",
    "correlation_id": "5d1e2f7a-8a7b-4c0e-9b43-2f0c4b7d9e10",
    "payload": {"repair_order_id": "…", "…": "…"},
}

HEADER = """# Event catalogue

Generated from `libs/contracts` by `python -m contracts.catalogue`; do not edit by hand.

## How events travel

- Each service publishes its events to its own durable **topic exchange `<service>.events`**
  (nameko's convention), with the **event type as the routing key** and a JSON body.
- Messages are persistent, `content_type` is `application/json`, `message_id` is the `event_id`.
- Publication goes through a **transactional outbox**: the event is stored in the same database
  transaction as the change it describes and a relay publishes it with publisher confirms.
  Delivery is **at least once**: a consumer may see an event twice and must skip duplicates by
  `event_id` (every platform consumer does, in the same transaction as its effect).
- Events of one service leave in the order they were recorded in its outbox: one relay at a time
  publishes them, even with several replicas. Two changes committed at the same moment may be
  recorded in either order, so do not rely on the order of events about different records.
- A platform consumer that fails retries after a delay (`<queue>.retry`) and after
  `EVENT_MAX_ATTEMPTS` attempts parks the message in `<queue>.dead-letter` for an operator
  (`python -m svckit.deadletters <amqp-uri> show|replay <queue>.dead-letter`).

## Subscribing as an integrator

Declare your own durable queue and bind it to the exchange with the event types you want
(`#` for all of a service's events), e.g. with kombu:

```python
from kombu import Connection, Exchange, Queue
workshop = Exchange("workshop.events", type="topic", durable=True)
queue = Queue("my-dms-bridge", workshop, routing_key="repair_completed", durable=True)
with Connection("amqp://user:password@broker:5672/") as conn:
    with conn.Consumer(queue, callbacks=[lambda body, msg: (print(body), msg.ack())], accept=["json"]):
        while True:
            conn.drain_events()
```

Bind the queue **before** the events you need are published: RabbitMQ drops a message that no
queue is bound to.

## Envelope

Every event has the same envelope; `payload` is the event's own part.

| field | type | meaning |
|---|---|---|
| `event_id` | uuid | unique per event; the key for duplicate detection |
| `event_type` | string | also the routing key |
| `version` | integer | payload revision; a version only adds fields, a breaking change is a new event type |
| `source` | string | the publishing service |
| `occurred_at` | ISO 8601 UTC | when the change was committed |
| `site_id` | string | the dealer site the fact belongs to |
| `correlation_id` | string | the HTTP request or event that started the chain; the same across services |
| `payload` | object | see below |

"""


def render_markdown():
    lines = [HEADER, "```json", json.dumps(ENVELOPE_EXAMPLE, indent=2, ensure_ascii=False), "```", "",
             "## Events", "", "| exchange | routing key (event type) | version | meaning |", "|---|---|---|---|"]
    for contract in EVENTS:
        lines.append(f"| `{contract.source}.events` | [`{contract.event_type}`](#{contract.event_type}) "
                     f"| {contract.version} | {contract.summary} |")
    lines.append("")
    for contract in EVENTS:
        lines += [f"### {contract.event_type}", "",
                  f"Exchange `{contract.source}.events`, routing key `{contract.event_type}`, version {contract.version}.",
                  "", contract.summary, "", "| payload field | type | required | notes |", "|---|---|---|---|"]
        lines += _field_rows(schema_to_json(contract.schema))
        lines.append("")
    return "\n".join(lines)


def _field_rows(json_schema, prefix=""):
    required = set(json_schema.get("required", []))
    for name, spec in json_schema["properties"].items():
        kind = spec.get("format") or spec["type"]
        if spec["type"] == "array":
            kind = f"array of {spec['items'].get('format') or spec['items']['type']}"
        notes = spec.get("description", "")
        if spec.get("nullable"):
            notes = (notes + " May be null.").strip()
        yield f"| `{prefix}{name}` | {kind} | {'yes' if name in required else 'no'} | {notes} |"
        if spec["type"] == "array" and spec["items"].get("type") == "object":
            yield from _field_rows(spec["items"], prefix=f"{prefix}{name}[].")


if __name__ == "__main__":
    print(render_markdown())
