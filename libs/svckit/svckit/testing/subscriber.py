"""An outside subscriber: binds its own queue to event exchanges, as an integrator would."""
import socket
import time
import uuid

import eventlet
from kombu import Connection, Consumer, Exchange, Queue, binding
from nameko.constants import PERSISTENT


class Subscriber:
    def __init__(self, amqp_uri, *bindings):
        """`bindings`: ("workshop.events", "repair_completed") pairs; "#" takes every event."""
        self.amqp_uri = amqp_uri
        self.bindings = bindings
        self.received = []
        self._running = False

    def start(self):
        self.connection = Connection(self.amqp_uri)
        channel = self.connection.channel()
        queue = Queue(
            f"test-subscriber-{uuid.uuid4().hex[:8]}", exclusive=True, auto_delete=True,
            bindings=[binding(Exchange(name, type="topic", durable=True, delivery_mode=PERSISTENT), routing_key=key)
                      for name, key in self.bindings],
        )
        self.consumer = Consumer(channel, [queue], callbacks=[self._on_message], accept=["json"])
        self.consumer.consume()
        self._running = True
        self._thread = eventlet.spawn(self._drain)
        return self

    def _on_message(self, body, message):
        self.received.append({"body": body, "headers": dict(message.headers or {}),
                              "routing_key": message.delivery_info.get("routing_key"),
                              "exchange": message.delivery_info.get("exchange"),
                              "content_type": message.content_type})
        message.ack()

    def _drain(self):
        while self._running:
            try:
                self.connection.drain_events(timeout=0.2)
            except socket.timeout:
                pass

    def events(self, event_type=None):
        return [m["body"] for m in self.received if event_type is None or m["routing_key"] == event_type]

    def wait_for(self, event_type, where=lambda body: True, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in self.events(event_type):
                if where(body):
                    return body
            eventlet.sleep(0.05)
        raise AssertionError(f"no {event_type} event arrived within {timeout}s; got {[m['routing_key'] for m in self.received]}")

    def stop(self):
        self._running = False
        if getattr(self, "_thread", None) is not None:
            self._thread.wait()
        self.connection.release()


def wait_until(check, timeout=15, interval=0.05, message="condition"):
    """Poll `check` until it returns something truthy; return that value."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except AssertionError as exc:
            last_error = exc
        eventlet.sleep(interval)
    raise AssertionError(f"{message} not met within {timeout}s" + (f": {last_error}" if last_error else ""))
