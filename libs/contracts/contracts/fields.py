"""Field types of the domain's identifiers, validated the same way wherever they appear."""
import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

SITE_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$",
                          error="Must be a site code of letters, digits, '-' or '_' (at most 32).")

VIN_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin):
    """The 9th character GB 16735 (as ISO 3779's check digit) requires for `vin`."""
    total = sum(VIN_TRANSLITERATION[c] * w for c, w in zip(vin, VIN_WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_problem(vin):
    """Why `vin` is not a valid VIN, or None."""
    if len(vin) != 17:
        return f"Must be 17 characters, got {len(vin)}."
    bad = sorted({c for c in vin if c not in VIN_TRANSLITERATION})
    if bad:
        return f"Contains characters a VIN may not use: {''.join(bad)} (I, O and Q are never used)."
    expected = vin_check_digit(vin)
    if vin[8] != expected:
        return f"Check digit (9th character) is {vin[8]}, the VIN's characters require {expected}."
    return None


class Vin(fields.String):
    """A 17-character VIN with a valid check digit; stored upper-case."""

    def _deserialize(self, value, attr, data, **kwargs):
        vin = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        problem = vin_problem(vin)
        if problem:
            raise ValidationError(problem)
        return vin


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # plates never use I or O
ORDINARY_PLATE = re.compile(rf"^[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]$")
NEW_ENERGY_PLATE = re.compile(rf"^[{PROVINCES}][{_LETTER}](?:[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")


def normalise_plate(plate):
    return re.sub(r"[\s·.\-]", "", plate).upper()


class Plate(fields.String):
    """A mainland Chinese plate: 7 characters, or 8 for new-energy vehicles (粤B D12345)."""

    def _deserialize(self, value, attr, data, **kwargs):
        plate = normalise_plate(super()._deserialize(value, attr, data, **kwargs))
        if not (ORDINARY_PLATE.match(plate) or NEW_ENERGY_PLATE.match(plate)):
            raise ValidationError(
                "Not a mainland plate: a province character, a letter, then 5 letters/digits "
                "(new-energy: 6, starting or ending with D or F).")
        return plate


class Phone(fields.String):
    """A mainland mobile (13812345678, +86 allowed) or landline with area code (021-12345678).

    Stored as digits only, so the same number written two ways is one number.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        phone = re.sub(r"[\s()\-]", "", super()._deserialize(value, attr, data, **kwargs))
        phone = re.sub(r"^\+?86(?=1)", "", phone)
        if re.fullmatch(r"1[3-9]\d{9}", phone) or re.fullmatch(r"0\d{9,11}", phone):
            return phone
        raise ValidationError("Must be a mainland mobile (11 digits starting 13-19) or a landline with area code.")


def SiteId(**kwargs):
    return fields.String(validate=SITE_ID, **kwargs)


class Amount(fields.Decimal):
    """A decimal with at most two places, on the wire as a string ("350.00"); more places are refused, not rounded."""

    def __init__(self, minimum, maximum=None, **kwargs):
        limits = validate.Range(min=Decimal(minimum), max=Decimal(maximum) if maximum is not None else None)
        super().__init__(as_string=True, places=2, validate=limits, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        amount = super()._deserialize(value, attr, data, **kwargs)  # a number, rounded to two places
        if Decimal(str(value)) != amount:
            raise ValidationError("At most two decimal places.")
        return amount


LARGEST_AMOUNT = "9999999999.99"  # what a Numeric(12, 2) column holds


def Money(**kwargs):
    """Money on the wire: a decimal string with two places, e.g. "350.00"; never negative."""
    return Amount("0", LARGEST_AMOUNT, **kwargs)


def Quantity(**kwargs):
    """A quantity of a part (4.5 litres of oil): positive, at most two places."""
    return Amount("0.01", LARGEST_AMOUNT, **kwargs)


class Id(fields.UUID):
    """A record id: a UUID, carried and returned as its canonical string."""

    def _deserialize(self, value, attr, data, **kwargs):
        return str(super()._deserialize(value, attr, data, **kwargs))


class StrictSchema(Schema):
    """RPC inputs refuse unknown fields: a typo is reported, not silently dropped."""

    class Meta:
        ordered = True


class PayloadSchema(Schema):
    class Meta:
        ordered = True
