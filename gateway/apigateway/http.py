"""The gateway's one HTTP entrypoint: JSON in, JSON out, every error in one shape.

`@api("POST", "/api/v1/customers", body=NewCustomer, answer=CustomerView, status=201)`
declares a route. Before the worker runs, the entrypoint authenticates the bearer
token (unless the route is public), parses the JSON body and the query string, and
puts the caller and a correlation id into the worker's context data, which nameko
forwards with every RPC call. Whatever goes wrong comes back as
`{"error": CODE, "message": ..., "details": ...}` with the matching status.
"""
import base64
import json
import logging
import uuid
from functools import partial

from eventlet.event import Event
from nameko.exceptions import ConfigurationError, RemoteError
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from apigateway.accounts import caller_from_token
from svckit.auth import CORRELATION_ID
from svckit.errors import InvalidInput, ServiceError, Unauthorized

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MIN_SECRET_LENGTH = 32
CORRELATION_HEADER = "X-Correlation-ID"


def json_response(payload, status=200, headers=None):
    return Response(json.dumps(payload, ensure_ascii=False), status=status, headers=headers,
                    mimetype="application/json")


def file_response(document, cache_control=None, named=False):
    """A service's file answer {content_type, content_base64, filename} as the file's own bytes.

    `named` sends the file's name (Content-Disposition inline); the browser never second-guesses the type.
    """
    headers = {"X-Content-Type-Options": "nosniff"}
    if cache_control:
        headers["Cache-Control"] = cache_control
    if named:
        headers["Content-Disposition"] = 'inline; filename="{}"'.format(document["filename"].replace('"', ""))
    return Response(base64.b64decode(document["content_base64"]), mimetype=document["content_type"], headers=headers)


def error_response(status, code, message, details=None):
    return json_response({"error": code, "message": message, "details": details}, status=status)


def response_for_exception(exc):
    if isinstance(exc, ServiceError):
        return error_response(exc.status, exc.code, exc.message, exc.details)
    if isinstance(exc, RemoteError):
        log.error("a service failed: %s", exc)
        return error_response(500, "internal_error", "A service failed to handle the request.")
    log.exception("gateway failed", exc_info=exc)
    return error_response(500, "internal_error", "The gateway failed to handle the request.")


class ApiWsgiApp(WsgiApp):
    """nameko's WSGI app, but unknown paths and wrong methods answer in the API's JSON shape."""

    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        try:
            provider, values = self.url_map.bind_to_environ(environ).match()
        except HTTPException as exc:
            code, message = {404: ("not_found", "No such route."),
                             405: ("method_not_allowed", "This route does not take that method.")}.get(
                exc.code, ("bad_request", exc.description))
            return error_response(exc.code, code, message)(environ, start_response)
        request.path_values = values
        return provider.handle_request(request)(environ, start_response)


class ApiServer(WebServer):
    def get_wsgi_app(self):
        return ApiWsgiApp(self)


class ApiRoute(HttpRequestHandler):
    server = ApiServer()

    def __init__(self, method, url, *, summary, tag, body=None, query=None, answer=None, many=False,
                 status=200, public=False, upload=None, produces=None, **kwargs):
        super().__init__(method, url, **kwargs)
        self.summary = summary
        self.tag = tag
        self.body_schema = body
        self.query_schema = query
        self.answer_schema = answer
        self.many = many
        self.status = status
        self.public = public
        self.upload = upload  # content types a file upload route takes as its raw body
        self.produces = produces  # content types a route answers as raw bytes (a photo, a PDF, a page), not JSON

    def get_url_rule(self):
        return Rule(self.url, methods=[self.method])

    def setup(self):
        secret = self.container.config.get("TOKEN_SECRET") or ""
        if len(str(secret)) < MIN_SECRET_LENGTH:
            raise ConfigurationError(
                f"GATEWAY_TOKEN_SECRET must be set to a random string of at least {MIN_SECRET_LENGTH} characters "
                "(it signs the bearer tokens).")
        super().setup()

    def handle_request(self, request):
        request.shallow = False
        correlation_id = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        try:
            context_data = {CORRELATION_ID: correlation_id}
            if not self.public:
                context_data.update(self.authenticate(request).to_context_data())
            kwargs = dict(request.path_values)
            if self.body_schema is not None:
                kwargs["body"] = read_json(request)
            if self.query_schema is not None:
                kwargs["query"] = {key: request.args.get(key) for key in request.args}
            if self.upload:
                kwargs["upload"] = read_upload(request, self.upload)
            done = Event()
            self.container.spawn_worker(self, (), kwargs, context_data=context_data,
                                        handle_result=partial(self.handle_result, done))
            result = done.wait()
            response = result if isinstance(result, Response) else json_response(result, status=self.status)
        except Exception as exc:
            response = response_for_exception(exc)
        response.headers[CORRELATION_HEADER] = correlation_id
        return response

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("This route needs a bearer token: get one at POST /api/v1/auth/token.")
        return caller_from_token(token.strip(), self.container.config["TOKEN_SECRET"])


def read_json(request):
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise InvalidInput("The request body is too large.", {"_body": [f"At most {MAX_BODY_BYTES} bytes."]})
    raw = request.get_data(cache=False)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The request body is not valid JSON.", {"_body": [str(exc)]}) from None


def read_upload(request, content_types):
    """A file sent as the raw body (Content-Type says what it is; ?filename= names it), ready for RPC."""
    if request.mimetype not in content_types:
        raise InvalidInput(f"Send the file as the body with Content-Type {' or '.join(content_types)}.",
                           {"_body": [f"Content-Type {request.mimetype or '(none)'} is not accepted."]})
    if request.content_length and request.content_length > MAX_UPLOAD_BYTES:
        raise InvalidInput("The file is too large.", {"_body": [f"At most {MAX_UPLOAD_BYTES // 2**20} MiB."]})
    content = request.get_data(cache=False)
    if not content:
        raise InvalidInput("The file is empty.", {"_body": ["Empty."]})
    return {"filename": request.args.get("filename") or "", "content_type": request.mimetype,
            "content_base64": base64.b64encode(content).decode()}


api = ApiRoute.decorator
