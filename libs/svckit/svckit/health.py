"""The answer of every service's `health` RPC."""
import platform
import time

_STARTED = time.time()


def health_report(service_name, unit, **extra):
    report = {"service": service_name, "status": "ok", "uptime_seconds": round(time.time() - _STARTED, 1),
              "python": platform.python_version()}
    report.update(unit.health())
    report.update(extra)
    return report
