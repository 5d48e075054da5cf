"""The whole platform in this process: every service and the gateway on the run's broker and databases."""
import importlib.util
import pathlib

import pytest

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
    for container in reversed(containers):
        container.stop()
