"""The RabbitMQ and PostgreSQL a test run talks to, and its private vhost and databases.

Where a Docker engine answers, testcontainers starts a RabbitMQ (with management) and
a PostgreSQL for the run. Otherwise the servers named by the environment are used:
TEST_AMQP_URI (default amqp://guest:guest@127.0.0.1:5672/), TEST_RABBIT_MANAGEMENT_URL
(default http://127.0.0.1:15672, same credentials) and TEST_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432/postgres). Either way a run creates its own vhost
and its own databases, named after a random run id, and removes them at the end, so
runs never see each other's data.
"""
import os
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

import requests

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_MANAGEMENT_URL = "http://127.0.0.1:15672"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def docker_available():
    if os.environ.get("TEST_USE_CONTAINERS", "auto") == "0":
        return False
    try:
        import docker
        client = docker.from_env(timeout=3)
        client.ping()
        return True
    except Exception:
        return False


@contextmanager
def servers():
    """Yield (amqp_uri, management_url, postgres_url) of the servers for this run."""
    if docker_available():
        with _containers() as found:
            yield found
    else:
        yield (
            os.environ.get("TEST_AMQP_URI", DEFAULT_AMQP_URI),
            os.environ.get("TEST_RABBIT_MANAGEMENT_URL", DEFAULT_MANAGEMENT_URL),
            os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        )


@contextmanager
def _containers():
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.wait_strategies import LogMessageWaitStrategy

    rabbit = (DockerContainer("rabbitmq:3.13-management")
              .with_exposed_ports(5672, 15672)
              .waiting_for(LogMessageWaitStrategy("Server startup complete")))
    postgres = (DockerContainer("postgres:16")
                .with_env("POSTGRES_HOST_AUTH_METHOD", "trust")
                .with_exposed_ports(5432)
                .waiting_for(LogMessageWaitStrategy("database system is ready to accept connections")))
    with rabbit, postgres:
        host = rabbit.get_container_host_ip()
        yield (
            f"amqp://guest:guest@{host}:{rabbit.get_exposed_port(5672)}/",
            f"http://{host}:{rabbit.get_exposed_port(15672)}",
            f"postgresql://postgres@{postgres.get_container_host_ip()}:{postgres.get_exposed_port(5432)}/postgres",
        )


def free_port():
    """A TCP port on localhost nobody listens on right now."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def new_run_id():
    return uuid.uuid4().hex[:8]


class Broker:
    """A private vhost on the run's RabbitMQ."""

    def __init__(self, amqp_uri, management_url, vhost):
        parts = urlsplit(amqp_uri)
        self.user = parts.username or "guest"
        self.password = parts.password or "guest"
        self.management_url = management_url.rstrip("/")
        self.vhost = vhost
        self.uri = urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))

    def create(self):
        if self._management_available():
            auth = (self.user, self.password)
            name = quote(self.vhost, safe="")
            requests.put(f"{self.management_url}/api/vhosts/{name}", auth=auth, timeout=10).raise_for_status()
            requests.put(
                f"{self.management_url}/api/permissions/{name}/{quote(self.user, safe='')}",
                json={"configure": ".*", "write": ".*", "read": ".*"}, auth=auth, timeout=10,
            ).raise_for_status()
        elif shutil.which("rabbitmqctl"):
            subprocess.run(["rabbitmqctl", "-q", "add_vhost", self.vhost], check=True, capture_output=True)
            subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", self.vhost, self.user, ".*", ".*", ".*"],
                           check=True, capture_output=True)
        else:
            raise RuntimeError(
                f"Cannot create a test vhost: neither the RabbitMQ management API at {self.management_url} "
                "nor rabbitmqctl is available. Enable it with: rabbitmq-plugins enable rabbitmq_management")
        return self

    def delete(self):
        if self._management_available():
            requests.delete(f"{self.management_url}/api/vhosts/{quote(self.vhost, safe='')}",
                            auth=(self.user, self.password), timeout=30)
        elif shutil.which("rabbitmqctl"):
            subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.vhost], capture_output=True)

    def _management_available(self):
        try:
            return requests.get(f"{self.management_url}/api/overview", auth=(self.user, self.password),
                                timeout=3).status_code == 200
        except requests.RequestException:
            return False


class Databases:
    """Private PostgreSQL databases of one run, created on demand, dropped at the end."""

    def __init__(self, admin_url, run_id):
        self.admin_url = admin_url
        self.run_id = run_id
        self.created = {}

    def url(self, name):
        if name not in self.created:
            database = f"test_{self.run_id}_{name}"
            self._admin(f'CREATE DATABASE "{database}"')
            # A throwaway database need not wait for the disk at every commit; it is the same PostgreSQL
            # otherwise (locks, isolation, constraints), and this keeps the suite's many commits fast.
            self._admin(f'ALTER DATABASE "{database}" SET synchronous_commit TO off')
            parts = urlsplit(self.admin_url)
            self.created[name] = urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))
        return self.created[name]

    def fresh_url(self, name):
        """A new empty database, even if one with that name was made before in this run."""
        suffix = uuid.uuid4().hex[:6]
        return self.url(f"{name}_{suffix}")

    def drop_all(self):
        for url in self.created.values():
            database = urlsplit(url).path.lstrip("/")
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.created.clear()

    def _admin(self, statement):
        import psycopg2
        conn = psycopg2.connect(self.admin_url)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(statement)
        finally:
            conn.close()
