"""The OpenAPI 3 document, built from the routes the gateway actually serves."""
import functools
import inspect
import re

from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from contracts.jsonschema import schema_to_json
from apigateway.http import ApiRoute

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Machine-readable code, e.g. invalid_input, not_found."},
        "message": {"type": "string"},
        "details": {"type": "object", "nullable": True,
                    "description": "For invalid_input: each failing field with its reasons."},
    },
}
ERROR_RESPONSES = {
    "400": "Bad input: the fields and reasons are in details.",
    "401": "No valid bearer token.",
    "403": "Not allowed for this user's roles or sites.",
    "404": "Not found.",
    "409": "The record's state does not allow this.",
    "503": "A service needed for this is not running.",
    "504": "A service needed for this did not answer in time.",
}


def api_routes(service_cls):
    """(method name, route) of every route of the service, its route mixins included."""
    for name, attribute in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(attribute, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, ApiRoute):
                yield name, entrypoint


@functools.cache
def openapi_document(service_cls):
    routes = sorted(api_routes(service_cls), key=lambda named: (named[1].url, named[1].method))
    paths = {}
    for method_name, route in routes:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", route.url)
        paths.setdefault(path, {})[route.method.lower()] = _operation(method_name, route)
    return {
        "openapi": "3.0.3",
        "info": {"title": "After-sales platform API", "version": "1.0.0",
                 "description": "Reception, workshop, parts, quality, CRM and training of a dealer group. "
                                "Get a token at POST /api/v1/auth/token and send it as `Authorization: Bearer <token>`."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {"Error": ERROR},
        },
    }


def _operation(method_name, route):
    operation = {"operationId": method_name, "summary": route.summary, "tags": [route.tag],
                 "responses": {}}
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route.url)]
    if route.query_schema is not None:
        query = schema_to_json(route.query_schema)
        for name, spec in query["properties"].items():
            parameters.append({"name": name, "in": "query", "required": name in query.get("required", []),
                               "schema": spec})
    if route.body_schema is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": schema_to_json(route.body_schema)}}}
    if route.upload:
        operation["requestBody"] = {"required": True, "content": {
            content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in route.upload}}
        parameters.append({"name": "filename", "in": "query", "required": False, "schema": {"type": "string"},
                           "description": "The file's name, kept with what it produced."})
    if parameters:
        operation["parameters"] = parameters
    answer = {"type": "object"}
    if route.answer_schema is not None:
        answer = schema_to_json(route.answer_schema)
        answer.pop("required", None)
        answer.pop("additionalProperties", None)
        if route.many:
            answer = {"type": "array", "items": answer}
    if route.produces:
        operation["responses"][str(route.status)] = {"description": "OK", "content": {
            content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in route.produces}}
    else:
        operation["responses"][str(route.status)] = {"description": "OK",
                                                     "content": {"application/json": {"schema": answer}}}
    for status, description in ERROR_RESPONSES.items():
        if status in ("401", "403") and route.public:
            continue
        operation["responses"][status] = {"description": description, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if not route.public:
        operation["security"] = [{"bearer": []}]
    return operation


if __name__ == "__main__":
    import json

    from apigateway.service import GatewayService

    print(json.dumps(openapi_document(GatewayService), indent=2, ensure_ascii=False))
