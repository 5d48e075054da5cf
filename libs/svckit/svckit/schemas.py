"""Input validation: every RPC and HTTP input goes through `load`."""
from marshmallow import ValidationError

from svckit.errors import InvalidInput


def load(schema, data, **kwargs):
    """Validate `data` with a marshmallow schema (class or instance) and return the loaded value.

    Bad input raises InvalidInput whose details name every failing field and the reason.
    """
    if isinstance(schema, type):
        schema = schema()
    if data is None:
        data = {}
    if not isinstance(data, dict) and not schema.many:
        raise InvalidInput("The request body must be a JSON object.", {"_schema": ["Expected an object."]})
    try:
        return schema.load(data, **kwargs)
    except ValidationError as exc:
        raise InvalidInput(describe_errors(exc.messages), exc.messages) from None


def describe_errors(messages):
    """One line naming each field and its first reason, e.g. "vin: Check digit is wrong."."""
    parts = []
    for field, reasons in _flatten(messages):
        parts.append(f"{field}: {reasons[0]}" if reasons else field)
    return "Invalid input: " + "; ".join(parts) if parts else "Invalid input."


def _flatten(messages, prefix=""):
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                yield from _flatten(value, name)
            else:
                yield name, [str(v) for v in value] if isinstance(value, list) else [str(value)]
    elif isinstance(messages, list):
        yield prefix or "_schema", [str(m) for m in messages]
