"""RPC to another service that never hangs: a dead or slow service is an error, not a wait.

`crm = ServiceRpc("crm")` is nameko's RpcProxy with a deadline: every call raises
ServiceUnavailable when no instance of the service exists and ServiceTimeout when
none answers within RPC_TIMEOUT_SECONDS (config, default 10).
"""
import eventlet
from nameko.exceptions import UnknownService
from nameko.rpc import RpcProxy

from svckit.errors import ServiceTimeout, ServiceUnavailable

DEFAULT_TIMEOUT_SECONDS = 10


class ServiceRpc(RpcProxy):
    def get_dependency(self, worker_ctx):
        timeout = float(self.container.config.get("RPC_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
        return TimedServiceProxy(super().get_dependency(worker_ctx), self.target_service, timeout)


class TimedServiceProxy:
    def __init__(self, proxy, service_name, timeout):
        self._proxy = proxy
        self._service_name = service_name
        self._timeout = timeout

    def within(self, seconds):
        """The same proxy with a shorter (or longer) deadline, e.g. for a health check."""
        return TimedServiceProxy(self._proxy, self._service_name, seconds)

    def __getattr__(self, method_name):
        method = getattr(self._proxy, method_name)

        def call(*args, **kwargs):
            return call_with_deadline(method, self._service_name, self._timeout, *args, **kwargs)

        return call


def call_with_deadline(method, service_name, timeout, *args, **kwargs):
    try:
        reply = method.call_async(*args, **kwargs)
    except UnknownService:
        raise ServiceUnavailable(f"The {service_name} service is not running.", {"service": service_name}) from None
    try:
        with eventlet.Timeout(timeout):
            return reply.result()
    except eventlet.Timeout:
        raise ServiceTimeout(f"The {service_name} service did not answer within {timeout:g}s.",
                             {"service": service_name}) from None
