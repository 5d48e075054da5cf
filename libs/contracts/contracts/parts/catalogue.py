"""The parts catalogue: the dealer group's parts, names, fitment, prices and supersession."""
from marshmallow import fields, validate

from contracts.fields import Money, PayloadSchema, StrictSchema
from contracts.parts.common import PartNumber

__all__ = ["NewPart", "PartChanges", "PartSearch", "PartView", "EVENTS"]


class NewPart(StrictSchema):
    part_number = PartNumber(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"description": "Chinese name, as on the label."})
    name_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    category = fields.String(load_default="general", validate=validate.Length(min=1, max=50),
                             metadata={"description": "Kind of part, e.g. filters, brakes, fluids, tyres."})
    brand = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    fitment = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                          metadata={"description": "Vehicle models the part fits."})
    specification = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    unit = fields.String(load_default="piece", validate=validate.Length(min=1, max=20))
    cost_price = Money(required=True)
    retail_price = Money(required=True, metadata={"description": "Price to a counter customer."})
    workshop_price = Money(load_default=None, allow_none=True,
                           metadata={"description": "Price on a repair order; the retail price when omitted."})
    shelf_life_days = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=3650),
                                     metadata={"description": "Set for fluids, batteries, tyres: stock is kept in "
                                                              "batches with an expiry date."})


class PartChanges(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    name_en = fields.String(allow_none=True, validate=validate.Length(max=200))
    category = fields.String(validate=validate.Length(min=1, max=50))
    brand = fields.String(allow_none=True, validate=validate.Length(max=50))
    fitment = fields.List(fields.String(validate=validate.Length(min=1, max=100)))
    specification = fields.String(allow_none=True, validate=validate.Length(max=200))
    cost_price = Money()
    retail_price = Money()
    workshop_price = Money(allow_none=True)
    superseded_by = PartNumber(allow_none=True, metadata={
        "description": "The part number that replaces this one; demand for this number goes to it."})
    active = fields.Boolean()


class PartSearch(StrictSchema):
    text = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                         metadata={"description": "Part number, Chinese or English name contains this."})
    category = fields.String(load_default=None)
    brand = fields.String(load_default=None)
    model = fields.String(load_default=None, metadata={"description": "Fits this vehicle model."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class PartView(PayloadSchema):
    part_number = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    category = fields.String()
    brand = fields.String(allow_none=True)
    fitment = fields.List(fields.String())
    specification = fields.String(allow_none=True)
    unit = fields.String()
    cost_price = Money()
    retail_price = Money()
    workshop_price = Money()
    shelf_life_days = fields.Integer(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    active = fields.Boolean()


EVENTS = []
