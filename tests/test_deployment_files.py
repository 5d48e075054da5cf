"""docker-compose.yml and the Dockerfiles: what a team deploying one service relies on."""
import importlib
import os
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICES = {"reception": "services/reception", "workshop": "services/workshop", "parts": "services/parts",
            "quality": "services/quality", "crm": "services/crm", "training": "services/training",
            "gateway": "gateway"}
SECRETS = {"RABBITMQ_PASSWORD": "r-secret", "POSTGRES_PASSWORD": "p-secret", "SERVICES_DB_PASSWORD": "s-secret",
           "GATEWAY_TOKEN_SECRET": "t" * 40, "ADMIN_PASSWORD": "a-secret"}
COMPOSE = shutil.which("docker-compose")


def compose_config(env):
    return subprocess.run([COMPOSE, "-f", str(ROOT / "docker-compose.yml"), "config"], cwd=ROOT,
                          env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def compose():
    if COMPOSE is None:
        pytest.fail("docker-compose is not installed (apt-get install docker-compose); .ci/run installs it")
    answer = compose_config(SECRETS)
    assert answer.returncode == 0, answer.stderr
    return yaml.safe_load(answer.stdout)


def test_compose_accepts_the_file_and_runs_every_service_with_broker_and_database(compose):
    services = compose["services"]
    assert set(services) == {*SERVICES, "rabbitmq", "postgres"}
    assert "management" in services["rabbitmq"]["image"]
    for name, folder in SERVICES.items():
        service = services[name]
        assert service["build"]["dockerfile"] == f"{folder}/Dockerfile"
        assert {"rabbitmq", "postgres"} <= set(service["depends_on"])
        if name != "gateway":
            assert service["healthcheck"]["test"][-2:] == ["svckit.healthcheck", name]
        url = service["environment"][f"{name.upper()}_DATABASE_URL"]
        assert url == f"postgresql://{name}:s-secret@postgres:5432/{name}", "each service its own database"
        assert service["environment"]["AMQP_URI"] == "amqp://aftersales:r-secret@rabbitmq:5672/"
    gateway_waits_for = {n: d["condition"] for n, d in services["gateway"]["depends_on"].items()}
    assert gateway_waits_for == {n: "service_healthy" for n in [*SERVICES, "rabbitmq", "postgres"] if n != "gateway"}, \
        "the gateway takes traffic only once every consumer queue exists"
    assert services["postgres"]["environment"]["SERVICE_DATABASES"].split() == list(SERVICES)


def test_compose_refuses_to_start_without_the_secrets():
    if COMPOSE is None:
        pytest.fail("docker-compose is not installed")
    answer = compose_config({})
    assert answer.returncode != 0
    assert "RABBITMQ_PASSWORD" in answer.stderr or "POSTGRES_PASSWORD" in answer.stderr


def test_no_secret_is_written_in_the_compose_file():
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in raw["services"].items():
        for key, value in service.get("environment", {}).items():
            if re.search(r"PASS|SECRET", key):
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"
            for password in re.findall(r"://[^:/@]+:([^@]+)@", str(value)):
                assert password.startswith("${"), f"{name}.{key} has a password written in it"


@pytest.mark.parametrize("name, folder", SERVICES.items())
def test_each_dockerfile_builds_its_service_alone_from_what_the_repository_has(name, folder):
    dockerfile = (ROOT / folder / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+) ", dockerfile, flags=re.M):
        assert (ROOT / source).exists(), f"{folder}/Dockerfile copies {source}, which does not exist"
    copied = set(re.findall(r"^COPY (\S+) ", dockerfile, flags=re.M))
    others = {f for n, f in SERVICES.items() if n != name}
    assert not copied & others, "a service image must not contain another service's code"
    target = re.search(r"--config\W+config\.yaml\W+([\w.:]+)", dockerfile).group(1)
    module_name, _, class_name = target.partition(":")
    assert class_name, "name the service class: nameko takes every class with entrypoints in a module for a service"
    assert getattr(importlib.import_module(module_name), class_name).name == name
    assert "USER nobody" in dockerfile


@pytest.mark.parametrize("name, folder", SERVICES.items())
def test_no_service_imports_another_services_code(name, folder):
    packages = {"reception", "workshop", "parts", "quality", "crm", "training", "apigateway"}
    own = "apigateway" if name == "gateway" else name
    package_dir = ROOT / folder / own
    for path in package_dir.rglob("*.py"):
        imports = re.findall(r"^\s*(?:from|import) (\w+)", path.read_text(), flags=re.M)
        foreign = set(imports) & (packages - {own})
        assert not foreign, f"{path.relative_to(ROOT)} imports {foreign}"
