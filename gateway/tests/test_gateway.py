"""The gateway over real HTTP, the real broker and PostgreSQL, in front of stand-in services.

The stand-in crm raises each error type a service can raise, so the mapping to HTTP
status codes is tested at the edge; the real services are behind the gateway in tests/.
"""
import uuid

import eventlet
import pytest
import requests
from nameko.rpc import rpc

from apigateway.admin import ensure_admin
from apigateway.models import Base
from apigateway.service import SERVICES, GatewayService
from svckit.errors import Conflict, Forbidden, InvalidInput, NotFound
from svckit.testing.infrastructure import free_port
from svckit.testing.migrations import differences

SECRET = "t" * 40
ADMIN_PASSWORD = "admin-password-123"


class StandInCrm:
    name = "crm"

    @rpc
    def health(self):
        return {"service": "crm", "status": "ok"}

    @rpc
    def get_customer(self, customer_id):
        errors = {
            "invalid": InvalidInput("Invalid input: phone: bad.", {"phone": ["bad."]}),
            "missing": NotFound("No customer missing.", {"customer_id": ["Unknown customer."]}),
            "conflict": Conflict("Already there."),
            "forbidden": Forbidden("Not your site."),
            "crash": RuntimeError("database on fire"),
        }
        if customer_id == "slow":
            eventlet.sleep(3)
        if customer_id in errors:
            raise errors[customer_id]
        return {"customer_id": customer_id, "site_id": "SH01", "name": "王先生"}

    @rpc
    def create_customer(self, payload):
        return {"received": payload}


@pytest.fixture
def gateway(fresh_broker, databases, container_factory):
    port = free_port()
    config = {"AMQP_URI": fresh_broker.uri, "DATABASE_URL": databases.fresh_url("gateway"),
              "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}", "TOKEN_SECRET": SECRET, "RPC_TIMEOUT_SECONDS": 1,
              "OUTBOX_POLL_SECONDS": 1}
    ensure_admin(config["DATABASE_URL"], "admin", ADMIN_PASSWORD)
    container_factory(GatewayService, config).start()
    container_factory(StandInCrm, {"AMQP_URI": fresh_broker.uri}).start()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def token(gateway):
    answer = requests.post(f"{gateway}/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def get(url, token, **kwargs):
    return requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10, **kwargs)


def test_migrations_build_what_the_models_describe(databases):
    assert differences("apigateway:migrations", Base.metadata, databases.fresh_url("gateway_schema")) == []


def test_a_token_is_given_for_the_right_password_only(gateway):
    good = requests.post(f"{gateway}/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert good.status_code == 200
    assert good.json()["token_type"] == "bearer" and good.json()["user"]["roles"] == ["admin"]
    bad = requests.post(f"{gateway}/api/v1/auth/token", json={"username": "admin", "password": "wrong"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized"
    missing = requests.post(f"{gateway}/api/v1/auth/token", json={"username": "admin"})
    assert missing.status_code == 400 and "password" in missing.json()["details"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}])
def test_every_route_but_login_health_and_openapi_needs_a_token(gateway, headers):
    answer = requests.get(f"{gateway}/api/v1/customers/123", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"


@pytest.mark.parametrize("customer_id, status, code", [
    ("invalid", 400, "invalid_input"),
    ("forbidden", 403, "forbidden"),
    ("missing", 404, "not_found"),
    ("conflict", 409, "conflict"),
    ("crash", 500, "internal_error"),
    ("slow", 504, "service_timeout"),
])
def test_service_errors_become_http_answers_of_one_shape(gateway, token, customer_id, status, code):
    answer = get(f"{gateway}/api/v1/customers/{customer_id}", token)
    assert answer.status_code == status
    body = answer.json()
    assert body["error"] == code and set(body) == {"error", "message", "details"}
    if code == "invalid_input":
        assert body["details"] == {"phone": ["bad."]}
    if code == "internal_error":
        assert "fire" not in body["message"]  # internals stay inside


def test_a_service_that_is_not_running_gives_503_not_a_hang(gateway, token):
    answer = get(f"{gateway}/api/v1/staff/{uuid.uuid4()}", token)
    assert answer.status_code == 503
    assert answer.json()["details"] == {"service": "training"}


def test_bad_json_unknown_routes_and_wrong_methods_answer_in_the_same_shape(gateway, token):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bad_json = requests.post(f"{gateway}/api/v1/customers", data="{not json", headers=headers)
    assert bad_json.status_code == 400 and bad_json.json()["error"] == "invalid_input"
    unknown = requests.get(f"{gateway}/api/v1/no-such-thing", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    wrong_method = requests.delete(f"{gateway}/api/v1/customers/1", headers=headers)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"


def test_the_caller_and_correlation_id_travel_to_the_service(gateway, token):
    answer = requests.post(f"{gateway}/api/v1/customers", json={"name": "王先生"},
                           headers={"Authorization": f"Bearer {token}", "X-Correlation-ID": "trace-42"})
    assert answer.status_code == 201
    assert answer.json() == {"received": {"name": "王先生"}}
    assert answer.headers["X-Correlation-ID"] == "trace-42"


def test_health_lists_every_service_and_is_503_while_one_is_down(gateway):
    answer = requests.get(f"{gateway}/health")
    assert answer.status_code == 503
    services = answer.json()["services"]
    assert set(services) == {*SERVICES, "gateway"}
    assert services["crm"]["status"] == "ok" and services["gateway"]["status"] == "ok"
    assert services["parts"]["status"] == "unavailable"


def test_admin_creates_users_who_are_limited_to_their_roles_and_sites(gateway, token):
    headers = {"Authorization": f"Bearer {token}"}
    created = requests.post(f"{gateway}/api/v1/users", headers=headers, json={
        "username": "advisor.li", "password": "long-enough-pw", "roles": ["service_advisor"], "sites": ["SH01"]})
    assert created.status_code == 201, created.text
    again = requests.post(f"{gateway}/api/v1/users", headers=headers, json={
        "username": "advisor.li", "password": "long-enough-pw", "roles": ["service_advisor"], "sites": ["SH01"]})
    assert again.status_code == 409
    bad = requests.post(f"{gateway}/api/v1/users", headers=headers, json={
        "username": "x", "password": "short", "roles": ["pope"], "sites": []})
    assert bad.status_code == 400
    assert set(bad.json()["details"]) == {"username", "password", "roles", "sites"}

    login = requests.post(f"{gateway}/api/v1/auth/token", json={"username": "advisor.li", "password": "long-enough-pw"})
    advisor = login.json()["access_token"]
    me = get(f"{gateway}/api/v1/auth/me", advisor).json()
    assert (me["username"], me["roles"], me["sites"]) == ("advisor.li", ["service_advisor"], ["SH01"])
    assert get(f"{gateway}/api/v1/users", advisor).status_code == 403


def test_the_openapi_document_lists_every_route(gateway):
    document = requests.get(f"{gateway}/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    routes = {(rule.rule, method.lower()) for rule in _rules(GatewayService) for method in rule.methods
              if method not in ("HEAD", "OPTIONS")}
    assert operations == {(path.replace("<", "{").replace(">", "}"), method) for path, method in routes}
    check_in = document["paths"]["/api/v1/visits"]["post"]
    assert check_in["requestBody"]["content"]["application/json"]["schema"]["required"] == ["site_id", "mileage_km"]
    assert check_in["security"] == [{"bearer": []}]


def _rules(service_cls):
    from apigateway.http import ApiRoute
    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
    for klass in service_cls.__mro__:
        for attribute in vars(klass).values():
            for entrypoint in getattr(attribute, ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, ApiRoute):
                    yield entrypoint.get_url_rule()


def test_routes_that_answer_files_are_documented_as_binary_not_json():
    from apigateway.openapi import openapi_document

    paths = openapi_document(GatewayService)["paths"]
    pdf = paths["/api/v1/invoices/{invoice_id}.pdf"]["get"]["responses"]["200"]["content"]
    assert pdf == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    photo = paths["/api/v1/repair-orders/{repair_order_id}/findings/{finding_id}/photos/{photo_id}"]["get"]
    assert set(photo["responses"]["200"]["content"]) == {"image/jpeg", "image/png", "image/webp"}
    assert "application/json" in photo["responses"]["404"]["content"]  # errors are still JSON
    page = paths["/track/{token}"]["get"]
    assert list(page["responses"]["200"]["content"]) == ["text/html"] and "security" not in page
