"""JSON Schema of marshmallow schemas: for the OpenAPI document and the event catalogue."""
from marshmallow import fields, validate

from contracts import fields as domain

FORMATS = {
    domain.Vin: ("string", {"minLength": 17, "maxLength": 17, "description": "VIN with a valid check digit (GB 16735)."}),
    domain.Plate: ("string", {"description": "Mainland plate, 7 characters or 8 for new-energy vehicles."}),
    domain.Phone: ("string", {"description": "Mainland mobile or landline."}),
    domain.Id: ("string", {"format": "uuid"}),
    fields.UUID: ("string", {"format": "uuid"}),
    fields.Email: ("string", {"format": "email"}),
    fields.AwareDateTime: ("string", {"format": "date-time", "description": "ISO 8601 with a UTC offset."}),
    fields.DateTime: ("string", {"format": "date-time"}),
    fields.Date: ("string", {"format": "date"}),
    fields.Decimal: ("string", {"format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}),
    fields.Integer: ("integer", {}),
    fields.Float: ("number", {}),
    fields.Boolean: ("boolean", {}),
    fields.String: ("string", {}),
}


def schema_to_json(schema):
    schema = schema() if isinstance(schema, type) else schema
    properties, required = {}, []
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        properties[key] = field_to_json(field)
        if field.required:
            required.append(key)
    result = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        result["required"] = required
    return result


def field_to_json(field):
    if isinstance(field, fields.Nested):
        result = schema_to_json(field.nested() if callable(field.nested) and not isinstance(field.nested, type) else field.nested)
    elif isinstance(field, fields.List):
        result = {"type": "array", "items": field_to_json(field.inner)}
    elif isinstance(field, fields.Dict):
        result = {"type": "object"}
    else:
        result = {}
        for kind in type(field).__mro__:
            if kind in FORMATS:
                json_type, extra = FORMATS[kind]
                result = {"type": json_type, **extra}
                break
        else:
            result = {"type": "string"}
    for validator in _validators(field):
        if isinstance(validator, validate.OneOf):
            result["enum"] = list(validator.choices)
        elif isinstance(validator, validate.Length):
            key = "Items" if result.get("type") == "array" else "Length"
            if validator.min is not None:
                result[f"min{key}"] = validator.min
            if validator.max is not None:
                result[f"max{key}"] = validator.max
        elif isinstance(validator, validate.Range):
            if validator.min is not None:
                result["minimum"] = float(validator.min) if result.get("type") != "integer" else validator.min
            if validator.max is not None:
                result["maximum"] = float(validator.max) if result.get("type") != "integer" else validator.max
        elif isinstance(validator, validate.Regexp):
            result["pattern"] = validator.regex.pattern
    if field.allow_none:
        result["nullable"] = True
    description = field.metadata.get("description")
    if description:
        result["description"] = description
    return result


def _validators(field):
    validators = field.validators
    return validators if isinstance(validators, (list, tuple)) else [validators]
