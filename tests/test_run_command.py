"""`make run` and `make demo` as a newcomer uses them: zero setup (SQLite), real processes, real broker."""
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import pytest

from svckit.testing.infrastructure import free_port

ROOT = pathlib.Path(__file__).resolve().parent.parent


def wait_for_line(process, needle, timeout):
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        if needle in line:
            return line, lines
    raise AssertionError(f"{needle!r} not printed within {timeout}s; output:\n{''.join(lines[-40:])}")


def test_run_starts_everything_the_demo_completes_and_sigterm_stops_it(broker, tmp_path):
    port = free_port()
    env = {**os.environ, "AMQP_URI": broker.uri, "GATEWAY_PORT": str(port), "PLATFORM_VAR_DIR": str(tmp_path),
           "ADMIN_PASSWORD": "run-test-admin-pw", "OUTBOX_POLL_SECONDS": "0.5", "PYTHONUNBUFFERED": "1"}
    for name in ("CRM", "PARTS", "TRAINING", "QUALITY", "WORKSHOP", "RECEPTION", "GATEWAY"):
        env.pop(f"{name}_DATABASE_URL", None)
    run = subprocess.Popen([sys.executable, str(ROOT / "deploy" / "run.py")], env=env, cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for_line(run, "The platform is up", timeout=150)
        login, _ = wait_for_line(run, "Log in as:", timeout=5)
        assert "admin / run-test-admin-pw" in login
        assert sorted(p.name for p in tmp_path.glob("*.db")) == [
            "crm.db", "gateway.db", "parts.db", "quality.db", "reception.db", "training.db", "workshop.db"]

        demo = subprocess.run([sys.executable, str(ROOT / "deploy" / "demo.py")], cwd=ROOT, timeout=120,
                              env={**env, "GATEWAY_URL": f"http://127.0.0.1:{port}"}, capture_output=True, text=True)
        assert demo.returncode == 0, demo.stdout + demo.stderr
        assert "Demo complete" in demo.stdout
    finally:
        run.send_signal(signal.SIGTERM)
        output, _ = run.communicate(timeout=60)
    assert run.returncode == 0, output[-3000:]
    assert "every service stopped" in output
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_run_explains_how_to_start_rabbitmq_when_none_answers(tmp_path):
    env = {**os.environ, "AMQP_URI": f"amqp://guest:guest@127.0.0.1:{free_port()}/", "PLATFORM_VAR_DIR": str(tmp_path)}
    answer = subprocess.run([sys.executable, str(ROOT / "deploy" / "run.py")], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert answer.returncode == 1
    assert "no RabbitMQ answers" in answer.stderr and "rabbitmq-server" in answer.stderr
