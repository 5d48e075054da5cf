"""ServiceRpc on the real broker: a slow service is a ServiceTimeout, a missing one a ServiceUnavailable."""
import time

import eventlet
import pytest
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from svckit.errors import ServiceTimeout, ServiceUnavailable
from svckit.rpc import ServiceRpc

NAP_SECONDS = 2.5


class SlowService:
    name = "slow"

    @rpc
    def nap(self, seconds):
        eventlet.sleep(seconds)
        return "awake"


class CallerService:
    name = "deadline_caller"

    slow = ServiceRpc("slow")
    ghost = ServiceRpc("never_existed")

    @rpc
    def ask_slow(self, seconds):
        return self.slow.nap(seconds)

    @rpc
    def ask_ghost(self):
        return self.ghost.anything("at all")


@pytest.fixture
def caller_config(service_config):
    # no Database in these services: a placeholder URL spares creating a PostgreSQL database
    return service_config("deadline_caller", database="sqlite://", RPC_TIMEOUT_SECONDS=1)


def test_a_service_slower_than_the_deadline_is_a_timeout(container_factory, caller_config, rpc):
    container_factory(SlowService, caller_config).start()
    container_factory(CallerService, caller_config).start()
    client = rpc(timeout=10).deadline_caller

    assert client.ask_slow(0.1) == "awake"
    started = time.monotonic()
    with pytest.raises(ServiceTimeout) as refused:
        client.ask_slow(NAP_SECONDS)
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < NAP_SECONDS
    assert refused.value.message == "The slow service did not answer within 1s."
    assert refused.value.details == {"service": "slow"}
    assert refused.value.status == 504


def test_a_service_that_never_existed_is_unavailable(container_factory, service_config, fresh_broker):
    config = service_config("deadline_caller", database="sqlite://", AMQP_URI=fresh_broker.uri, RPC_TIMEOUT_SECONDS=1)
    container_factory(CallerService, config).start()
    with ClusterRpcProxy({"AMQP_URI": fresh_broker.uri}, timeout=10) as cluster:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable) as refused:
            cluster.deadline_caller.ask_ghost()
        elapsed = time.monotonic() - started
    assert elapsed < 1  # refused at once, not after the deadline
    assert refused.value.message == "The never_existed service is not running."
    assert refused.value.details == {"service": "never_existed"}
    assert refused.value.status == 503
