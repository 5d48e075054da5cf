"""The gateway's own routes: health of the platform and the API document."""
import eventlet

from apigateway.http import api, json_response
from apigateway.openapi import openapi_document
from svckit.errors import ServiceError
from svckit.health import health_report

SERVICES = ("reception", "workshop", "parts", "quality", "crm", "training")
HEALTH_TIMEOUT_SECONDS = 3


class PlatformRoutes:
    @api("GET", "/health", tag="platform", public=True, summary="Health of the gateway and every service")
    def health(self):
        checks = {name: eventlet.spawn(self._service_health, name) for name in SERVICES}
        services = {name: check.wait() for name, check in checks.items()}
        services["gateway"] = health_report(self.name, self.db)
        healthy = all(report.get("status") == "ok" for report in services.values())
        return json_response({"status": "ok" if healthy else "degraded", "services": services},
                             status=200 if healthy else 503)

    @api("GET", "/api/v1/openapi.json", tag="platform", public=True, summary="This API's OpenAPI document")
    def openapi(self):
        return openapi_document(type(self))

    def _service_health(self, name):
        try:
            return getattr(self, name).within(HEALTH_TIMEOUT_SECONDS).health()
        except ServiceError as exc:
            return {"service": name, "status": "unavailable", "error": exc.message}
        except Exception as exc:
            return {"service": name, "status": "failing", "error": str(exc)[:200]}
