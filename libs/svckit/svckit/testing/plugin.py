"""pytest fixtures: the run's broker vhost and databases, service configs, outside subscribers.

Loaded by the repository's root conftest.py, after eventlet is monkey-patched.
"""
import pytest

from svckit.testing.infrastructure import Broker, Databases, new_run_id, servers
from svckit.testing.subscriber import Subscriber

FAST_TEST_SETTINGS = {
    "OUTBOX_POLL_SECONDS": 0.2,
    "EVENT_RETRY_DELAY_MS": 200,
    "EVENT_MAX_ATTEMPTS": 3,
    "RPC_TIMEOUT_SECONDS": 10,
}


@pytest.fixture(scope="session")
def test_servers():
    with servers() as found:
        yield found


@pytest.fixture(scope="session")
def test_run_id():
    return new_run_id()


@pytest.fixture(scope="module")
def broker(test_servers, test_run_id, request):
    """A vhost per test module: queues a module's services declared never catch another module's events."""
    amqp_uri, management_url, _ = test_servers
    vhost = Broker(amqp_uri, management_url, f"test-{test_run_id}-{request.module.__name__.rsplit('.', 1)[-1]}").create()
    yield vhost
    vhost.delete()


@pytest.fixture(scope="session")
def databases(test_servers, test_run_id):
    created = Databases(test_servers[2], test_run_id)
    yield created
    created.drop_all()


@pytest.fixture
def fresh_broker(test_servers, test_run_id):
    """A vhost of this test's own, for tests that need a broker no other test has touched."""
    amqp_uri, management_url, _ = test_servers
    vhost = Broker(amqp_uri, management_url, f"test-{test_run_id}-{new_run_id()}").create()
    yield vhost
    vhost.delete()


@pytest.fixture
def service_config(broker, databases):
    """`service_config("parts")`: a nameko config on the run's vhost with a fresh PostgreSQL database."""

    def make(service, database=None, **overrides):
        config = {
            "AMQP_URI": broker.uri,
            "DATABASE_URL": database or databases.fresh_url(service),
            **FAST_TEST_SETTINGS,
        }
        config.update(overrides)
        return config

    return make


@pytest.fixture
def subscribe(broker):
    """`subscribe(("workshop.events", "repair_completed"))`: a started outside subscriber."""
    started = []

    def make(*bindings):
        subscriber = Subscriber(broker.uri, *bindings).start()
        started.append(subscriber)
        return subscriber

    yield make
    for subscriber in started:
        subscriber.stop()


@pytest.fixture
def rpc(broker):
    """`rpc(caller=...)`: a standalone RPC client on the run's vhost, calling as `caller` (SYSTEM if None)."""
    from nameko.standalone.rpc import ClusterRpcProxy

    opened = []

    def make(caller=None, timeout=20):
        context = caller.to_context_data() if caller is not None else {}
        proxy = ClusterRpcProxy({"AMQP_URI": broker.uri}, timeout=timeout, context_data=context)
        opened.append(proxy)
        return proxy.start()

    yield make
    for proxy in opened:
        proxy.stop()


@pytest.fixture
def publish_event(broker):
    """`publish_event(CONTRACT, payload, site_id=...)`: publish an event as its source service would."""
    from svckit.testing.events import publish

    def make(contract, payload, site_id="SITE-1", **envelope):
        return publish(broker.uri, contract, payload, site_id=site_id, **envelope)

    return make
