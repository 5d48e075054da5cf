"""workshop facilities: bays and equipment, their maintenance, and the capacity they give (manual ch. 9)."""
from marshmallow import fields, validate

from contracts.fields import Id, PayloadSchema, SiteId, StrictSchema

BAY_KINDS = ["general", "quick_service", "body", "paint", "ev", "alignment", "wash"]


# --- RPC inputs ---

class NewBay(StrictSchema):
    site_id = SiteId(required=True)
    code = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Z0-9][A-Z0-9\-]{0,19}$", error="Must be 1-20 upper-case letters, digits or '-'."))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(load_default="general", validate=validate.OneOf(BAY_KINDS))


class BayQuery(StrictSchema):
    site_id = SiteId(load_default=None)


# --- RPC answers ---

class BayView(PayloadSchema):
    bay_id = Id(attribute="id")
    site_id = fields.String()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    active = fields.Boolean()


EVENTS = []
