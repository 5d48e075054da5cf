"""The catalogue: parts, their names, fitment, prices and supersession."""
import json

from nameko.rpc import rpc
from sqlalchemy import String, cast, func, or_, select

from contracts.parts import NewPart, PartChanges, PartSearch, PartView
from parts.inventory import Inventory
from parts.models import Part
from svckit.errors import Conflict, InvalidInput
from svckit.schemas import load


class CatalogueApi:
    @rpc
    def create_part(self, payload):
        self.auth.require_role("parts_clerk")
        data = load(NewPart, payload)
        if self.db.get(Part, data["part_number"]):
            raise Conflict(f"Part {data['part_number']} already exists.",
                           {"part_number": ["Already in the catalogue."]})
        if data["workshop_price"] is None:
            data["workshop_price"] = data["retail_price"]
        part = self.db.add(Part(**data, active=True))
        self.db.commit()
        return PartView().dump(part)

    @rpc
    def get_part(self, part_number):
        return PartView().dump(Inventory(self.db, self.auth.username).part(part_number))

    @rpc
    def current_part(self, part_number):
        """The part that is sold today for `part_number`, following supersession (old number -> new number)."""
        return PartView().dump(Inventory(self.db, self.auth.username).part(part_number, follow_supersession=True))

    @rpc
    def update_part(self, part_number, payload):
        self.auth.require_role("parts_clerk")
        changes = load(PartChanges, payload)
        inventory = Inventory(self.db, self.auth.username)
        part = inventory.part(part_number)
        successor = changes.get("superseded_by")
        if successor is not None:
            if successor == part.part_number:
                raise InvalidInput("A part cannot supersede itself.", {"superseded_by": ["Is this part."]})
            inventory.part(successor)
            if _supersession_reaches(inventory, successor, part.part_number):
                raise InvalidInput(f"{successor} is already superseded, directly or not, by {part.part_number}.",
                                   {"superseded_by": ["Would make a loop."]})
        for field, value in changes.items():
            setattr(part, field, value)
        self.db.commit()
        return PartView().dump(part)

    @rpc
    def search_parts(self, payload):
        query = load(PartSearch, payload)
        statement = select(Part).order_by(Part.part_number).limit(query["limit"])
        if query["text"]:
            pattern = f"%{query['text'].lower()}%"
            statement = statement.where(or_(func.lower(Part.part_number).like(pattern),
                                            func.lower(Part.name).like(pattern),
                                            func.lower(Part.name_en).like(pattern)))
        if query["category"]:
            statement = statement.where(Part.category == query["category"])
        if query["brand"]:
            statement = statement.where(Part.brand == query["brand"])
        if query["model"]:
            fits = json.dumps(query["model"])  # the model as SQLAlchemy writes it into the JSON list
            statement = statement.where(cast(Part.fitment, String).contains(fits, autoescape=True))
        return PartView(many=True).dump(self.db.scalars(statement).all())


def _supersession_reaches(inventory, start, target):
    seen, current = set(), inventory.part(start)
    while current.superseded_by and current.part_number not in seen:
        if current.superseded_by == target:
            return True
        seen.add(current.part_number)
        current = inventory.part(current.superseded_by)
    return False
