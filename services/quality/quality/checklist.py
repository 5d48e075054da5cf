"""The final-inspection checklist and the rules of answering it, free of any database."""
from svckit.errors import InvalidInput

PENDING = "pending"
PASSED = "passed"
FAILED = "failed"

# Checked on every car before it is handed back (manual 6: 质量检验). An inspection keeps its own
# copy of the items, so changing this list never rewrites inspections already made.
FINAL_INSPECTION_CHECKLIST = (
    "Customer concern resolved",
    "Road test",
    "No fluid leaks",
    "Warning lights off",
    "Torque and fasteners checked",
    "Vehicle clean (interior and exterior)",
    "Replaced parts shown to customer",
)


def match_answers(checklist, answers):
    """The inspector's answers keyed by checklist item, or InvalidInput on "items" naming every problem.

    Every item of `checklist` must be answered exactly once, nothing else may be answered,
    and a failed item must say what is wrong in its note.
    """
    by_item, repeated = {}, []
    for answer in answers:
        item = answer["item"].strip()
        if item in by_item and item not in repeated:
            repeated.append(item)
        by_item[item] = {"item": item, "passed": answer["passed"], "note": answer.get("note", "").strip()}
    unknown = [item for item in by_item if item not in checklist]
    missing = [item for item in checklist if item not in by_item]
    unexplained = [item for item in checklist if item in by_item and not by_item[item]["passed"]
                   and not by_item[item]["note"]]
    problems = []
    if unknown:
        problems.append(f"Not on this inspection's checklist: {', '.join(unknown)}.")
    if missing:
        problems.append(f"Not answered: {', '.join(missing)}.")
    if repeated:
        problems.append(f"Answered more than once: {', '.join(repeated)}.")
    if unexplained:
        problems.append(f"Failed without a note saying what is wrong: {', '.join(unexplained)}.")
    if problems:
        raise InvalidInput("Invalid input: items: " + " ".join(problems), {"items": problems})
    return by_item


def outcome(answers):
    """PASSED when every answered item passed, else FAILED. `answers` come from `match_answers`."""
    if not answers:
        raise ValueError("an inspection without answers has no outcome")
    return PASSED if all(answer["passed"] for answer in answers) else FAILED


def failed_items(checklist, answers_by_item):
    """The failed items in checklist order, as the inspection_failed event lists them."""
    return [{"item": item, "note": answers_by_item[item]["note"]}
            for item in checklist if not answers_by_item[item]["passed"]]
