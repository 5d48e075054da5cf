"""The whole platform in this process: every service and the gateway on the run's broker and databases."""
import importlib.util
import pathlib

import pytest
import requests

from apigateway.admin import ensure_admin
from apigateway.service import GatewayService
from crm.service import CrmService
from parts.service import PartsService
from quality.service import QualityService
from reception.service import ReceptionService
from training.service import TrainingService
from svckit.testing.infrastructure import free_port
from workshop.service import WorkshopService

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICES = (ReceptionService, WorkshopService, PartsService, QualityService, CrmService, TrainingService)
ADMIN_PASSWORD = "end-to-end-admin-pw"


@pytest.fixture(scope="session")
def demo():
    """deploy/demo.py, the scripted visit `make demo` plays."""
    spec = importlib.util.spec_from_file_location("demo", ROOT / "deploy" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def admin_password():
    return ADMIN_PASSWORD


@pytest.fixture(scope="module")
def platform(broker, databases):
    """Start every service and the gateway; yields the gateway's base URL."""
    from nameko.containers import ServiceContainer

    containers = []
    for service in SERVICES:
        containers.append(ServiceContainer(service, {
            "AMQP_URI": broker.uri, "DATABASE_URL": databases.url(service.name),
            "OUTBOX_POLL_SECONDS": 0.2, "EVENT_RETRY_DELAY_MS": 200, "EVENT_MAX_ATTEMPTS": 3,
            "RPC_TIMEOUT_SECONDS": 10}))
    port = free_port()
    gateway_db = databases.url("gateway")
    ensure_admin(gateway_db, "admin", ADMIN_PASSWORD)
    containers.append(ServiceContainer(GatewayService, {
        "AMQP_URI": broker.uri, "DATABASE_URL": gateway_db, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
        "TOKEN_SECRET": "e2e-secret-" + "x" * 32, "RPC_TIMEOUT_SECONDS": 10}))
    for container in containers:
        container.start()
    yield f"http://127.0.0.1:{port}"
    stop_all(containers)


def stop_all(containers, grace_seconds=5):
    """Stop the containers together; one still busy after the grace period (a timer's worker waiting on a
    service already gone, say) is killed rather than waited for."""
    import eventlet

    pool = eventlet.GreenPool()
    for container in containers:
        pool.spawn(container.stop)
    try:
        with eventlet.Timeout(grace_seconds):
            pool.waitall()
    except eventlet.Timeout:
        for container in containers:
            container.kill()


class Api:
    """A user's session with the gateway: every request carries the user's bearer token."""

    def __init__(self, base_url, token):
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return requests.get(f"{self.base_url}{path}", headers=self.headers, params=params, timeout=30)

    def post(self, path, body=None):
        return requests.post(f"{self.base_url}{path}", headers=self.headers, json=body, timeout=30)

    def put(self, path, body=None):
        return requests.put(f"{self.base_url}{path}", headers=self.headers, json=body, timeout=30)

    def delete(self, path):
        return requests.delete(f"{self.base_url}{path}", headers=self.headers, timeout=30)

    def upload(self, path, content, content_type):
        return requests.post(f"{self.base_url}{path}", headers={**self.headers, "Content-Type": content_type},
                             data=content, timeout=30)


@pytest.fixture(scope="module")
def login(platform):
    """login(username, password) -> Api for that user, on this module's platform."""
    def log_in(username, password):
        answer = requests.post(f"{platform}/api/v1/auth/token", json={"username": username, "password": password},
                               timeout=30)
        assert answer.status_code == 200, answer.text
        return Api(platform, answer.json()["access_token"])
    return log_in


@pytest.fixture(scope="module")
def admin(login, admin_password):
    return login("admin", admin_password)


@pytest.fixture(scope="module")
def make_user(admin, login):
    """make_user(username, roles, sites) -> Api logged in as a new user with those roles and sites."""
    def make(username, roles, sites, password="platform-test-pw"):
        created = admin.post("/api/v1/users", {"username": username, "password": password, "roles": roles,
                                               "sites": sites})
        assert created.status_code == 201, created.text
        return login(username, password)
    return make
