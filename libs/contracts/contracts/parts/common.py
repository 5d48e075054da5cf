"""What every parts contract module shares."""
from marshmallow import fields, validate

SOURCE = "parts"

PART_NUMBER = validate.Regexp(r"^[A-Z0-9][A-Z0-9.\-]{0,39}$",
                              error="Must be 1-40 upper-case letters, digits, '.' or '-'.")


def PartNumber(**kwargs):
    return fields.String(validate=PART_NUMBER, **kwargs)


LOCATION_CODE = validate.Regexp(r"^[A-Z0-9][A-Z0-9\-]{0,19}$",
                                error="Must be 1-20 upper-case letters, digits or '-'.")


def LocationCode(**kwargs):
    return fields.String(validate=LOCATION_CODE, **kwargs)
