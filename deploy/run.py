#!/usr/bin/env python3
"""`make run`: the whole platform on this machine, in the foreground.

Starts every service and the gateway as separate processes (as they run in
production), each with its own database: PostgreSQL where <SERVICE>_DATABASE_URL names
one, else a SQLite file under var/. Migrations run as each service starts. Prints the
URL and the administrator's login once every service answers its health check;
Ctrl-C or SIGTERM stops every process it started. It needs only a RabbitMQ (AMQP_URI).
"""
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(os.path.abspath(sys.executable))
VAR = os.environ.get("PLATFORM_VAR_DIR") or os.path.join(ROOT, "var")  # SQLite files, generated secrets
SERVICES = [  # (name, folder, nameko module)
    ("crm", "services/crm", "crm.service:CrmService"),
    ("parts", "services/parts", "parts.service:PartsService"),
    ("training", "services/training", "training.service:TrainingService"),
    ("quality", "services/quality", "quality.service:QualityService"),
    ("workshop", "services/workshop", "workshop.service:WorkshopService"),
    ("reception", "services/reception", "reception.service:ReceptionService"),
    ("gateway", "gateway", "apigateway.service:GatewayService"),
]
START_TIMEOUT_SECONDS = 120


def main():
    os.makedirs(VAR, exist_ok=True)
    env = platform_environment()
    if not broker_answers(env["AMQP_URI"]):
        return 1
    login = ensure_admin(env)
    processes = [start(name, folder, module, env) for name, folder, module in SERVICES]
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    try:
        if not wait_until_healthy(url, processes, stopping):
            return 1 if not stopping.is_set() else 0
        print(f"\nThe platform is up: {url}/api/v1  (OpenAPI: {url}/api/v1/openapi.json, health: {url}/health)")
        print(f"Log in as: {login[0]} / {login[1]}   (POST {url}/api/v1/auth/token)")
        print("Ctrl-C stops every service.\n", flush=True)
        while not stopping.wait(0.5):
            dead = [(name, p.returncode) for name, p in processes if p.poll() is not None]
            if dead:
                print(f"run: {dead[0][0]} exited with status {dead[0][1]}; stopping the platform", flush=True)
                return 1
        return 0
    finally:
        stop_all(processes)


def platform_environment():
    env = dict(os.environ)
    env.setdefault("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    env.setdefault("GATEWAY_PORT", "8000")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning,ignore::eventlet.EventletDeprecationWarning")
    env.setdefault("GATEWAY_TOKEN_SECRET", secret_from_file(os.path.join(VAR, "token-secret")))
    env.setdefault("ADMIN_PASSWORD_FILE", os.path.join(VAR, "admin-password"))
    for name, _, _ in SERVICES:
        env.setdefault(f"{name.upper()}_DATABASE_URL", f"sqlite:///{os.path.join(VAR, name + '.db')}")
    return env


def secret_from_file(path):
    if not os.path.exists(path):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    with open(path) as handle:
        return handle.read().strip()


def broker_answers(amqp_uri):
    parts = urlsplit(amqp_uri)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5672
    try:
        with socket.create_connection((host, port), timeout=3):
            pass
    except OSError as error:
        print(f"run: no RabbitMQ answers at {host}:{port} ({error}).\n"
              "Start one, then run again:\n"
              "  on Debian/Ubuntu:  sudo apt-get install rabbitmq-server && sudo rabbitmq-server -detached\n"
              "  with Docker:       docker run -d -p 5672:5672 -p 15672:15672 rabbitmq:3.13-management\n"
              "or point AMQP_URI at one (amqp://user:password@host:5672/vhost).", file=sys.stderr)
        return False
    return True


def ensure_admin(env):
    answer = subprocess.run([os.path.join(BIN, "python"), "-m", "apigateway.admin", "config.yaml"],
                            cwd=os.path.join(ROOT, "gateway"), env=env, capture_output=True, text=True)
    if answer.returncode != 0:
        sys.stderr.write(answer.stderr)
        raise SystemExit("run: could not create the administrator (see above)")
    username, password = answer.stdout.strip().splitlines()[-1].split(" ", 1)
    return username, password


def start(name, folder, module, env):
    process = subprocess.Popen(
        [os.path.join(BIN, "nameko"), "run", "--config", "config.yaml", module],
        cwd=os.path.join(ROOT, folder), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True, bufsize=1)
    threading.Thread(target=relay_output, args=(name, process), daemon=True).start()
    return name, process


def relay_output(name, process):
    for line in process.stdout:
        sys.stdout.write(f"[{name}] {line}")
        sys.stdout.flush()


def wait_until_healthy(url, processes, stopping):
    print(f"run: starting {', '.join(name for name, _ in processes)}; waiting for {url}/health", flush=True)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and not stopping.is_set():
        dead = [name for name, p in processes if p.poll() is not None]
        if dead:
            print(f"run: {', '.join(dead)} stopped during start-up (see its log above)", flush=True)
            return False
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        stopping.wait(1)
    if not stopping.is_set():
        print(f"run: the platform did not become healthy within {START_TIMEOUT_SECONDS}s", flush=True)
    return False


def stop_all(processes):
    for _, process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"run: {name} did not stop in time; killing it", flush=True)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print("run: every service stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
