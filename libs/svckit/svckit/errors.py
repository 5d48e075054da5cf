"""Error types every service raises and the gateway turns into HTTP answers.

They are registered with nameko so that an error raised in a service arrives at the
caller as the same class with the same message and details, not as a RemoteError.
"""
from nameko.exceptions import deserialize_to_instance


class ServiceError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message, details=None):
        # nameko sends args over the wire and would turn a None into the string "None"
        super().__init__(message) if details is None else super().__init__(message, details)

    @property
    def message(self):
        return self.args[0]

    @property
    def details(self):
        return self.args[1] if len(self.args) > 1 else None

    def __str__(self):
        return self.message


@deserialize_to_instance
class InvalidInput(ServiceError):
    """Input failed validation. `details` maps each field to its reasons."""
    status = 400
    code = "invalid_input"


@deserialize_to_instance
class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


@deserialize_to_instance
class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


@deserialize_to_instance
class NotFound(ServiceError):
    status = 404
    code = "not_found"


@deserialize_to_instance
class Conflict(ServiceError):
    """The request is valid but the record's state does not allow it."""
    status = 409
    code = "conflict"


@deserialize_to_instance
class ServiceUnavailable(ServiceError):
    status = 503
    code = "service_unavailable"


@deserialize_to_instance
class ServiceTimeout(ServiceError):
    status = 504
    code = "service_timeout"
