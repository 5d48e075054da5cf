"""What every workshop contract module shares."""
from marshmallow import validate

SOURCE = "workshop"

PAY_TYPES = ["customer", "warranty", "internal", "goodwill"]
PAY_TYPE_HELP = ("Who pays: customer; warranty (the maker), internal (the dealer's own cars) and goodwill "
                 "(the dealer's gesture) cost the customer nothing.")
OPERATION_CODE = validate.Regexp(r"^[A-Z0-9][A-Z0-9.\-]{0,19}$",
                                 error="Must be 1-20 upper-case letters, digits, '.' or '-'.")
SKILL_CODE = validate.Regexp(r"^[A-Z0-9][A-Z0-9_\-]{0,39}$",
                             error="Must be 1-40 upper-case letters, digits, '_' or '-'.")
