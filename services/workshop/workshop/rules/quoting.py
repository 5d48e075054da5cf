"""Quoting rules: which catalogue entry applies, what a labour line is made of, sublet amounts."""
from svckit.errors import InvalidInput
from workshop.rules.repair_order import money

GENERIC = ""  # the model of a catalogue entry that applies to every model


def catalogue_entry(entries, code, model=None):
    """The active entry for `code`: the one for `model` when there is one, else the generic one, else None."""
    active = [entry for entry in entries if entry.code == code and entry.active]
    for wanted in ([model] if model else []) + [GENERIC]:
        for entry in active:
            if (entry.model or GENERIC) == wanted:
                return entry
    return None


def labour_line_values(line, entry):
    """Description, hours and skill of a labour line from its input and its catalogue entry (or None).

    A catalogue operation takes the catalogue's description and hours unless the input gives its own,
    and always the catalogue's skill (the skill is a safety requirement, not a price). A code not in
    the catalogue is ad-hoc work and must say what it is and how long it takes.
    """
    if entry is None:
        missing = [name for name in ("description", "hours") if line.get(name) is None]
        if missing:
            raise InvalidInput(
                f"Operation {line['operation_code']} is not in the catalogue; ad-hoc work needs "
                f"{' and '.join(missing)}.",
                {"operation_code": [f"Not in the operation catalogue: give {' and '.join(missing)} for ad-hoc work."]})
        return {"description": line["description"], "hours": line["hours"], "skill_code": line.get("skill_code")}
    return {
        "description": line.get("description") or entry.description,
        "hours": line["hours"] if line.get("hours") is not None else entry.standard_hours,
        "skill_code": entry.skill_code or line.get("skill_code"),
    }


class SubletLineRules:
    """Mixed into the SubletLine model (vendor, cost, price, ...)."""

    @property
    def amount(self):
        return money(self.price)

    @property
    def margin(self):
        return money(self.price - self.cost)
