"""The rules of dispatch (派工) and clocking (打卡), free of any database or broker."""
from contracts.training import SKILLS
from svckit.errors import Conflict, InvalidInput, NotFound
from workshop.rules.repair_order import (
    APPROVED, IN_PROGRESS, LINE_APPROVED, ON_HOLD, REWORK, WAITING_FOR_PARTS,
)

DISPATCHABLE = (APPROVED, WAITING_FOR_PARTS, IN_PROGRESS, REWORK)
"""Work may be given out once the customer approved it, while parts are awaited, during the job and its rework."""
CLOCKABLE = (APPROVED, IN_PROGRESS, REWORK)
"""Time is clocked only where work can be done: not waiting for parts, on hold, completed or cancelled."""
WORK_AHEAD = (*DISPATCHABLE, ON_HOLD)
"""Orders whose dispatched lines still load their technicians."""


def labour_line(order, line_id):
    line = next((line for line in order.labour_lines if line.id == str(line_id)), None)
    if line is None:
        raise NotFound(f"Repair order {order.id} has no labour line {line_id}.",
                       {"line_id": ["Unknown labour line of this repair order."]})
    return line


def require_dispatchable(order, line):
    if line.approval != LINE_APPROVED:
        raise Conflict(f"Only approved work is dispatched; line {line.operation_code} is {line.approval}.",
                       {"line_id": [f"Is {line.approval}."]})
    if order.status not in DISPATCHABLE:
        raise Conflict(f"Work of a repair order that is {order.status} cannot be dispatched.",
                       {"status": [f"Dispatch is allowed when: {', '.join(DISPATCHABLE)}."]})


def require_clockable(order, line):
    if order.status not in CLOCKABLE:
        raise Conflict(f"Time cannot be clocked on a repair order that is {order.status}.",
                       {"status": [f"Clocking on is allowed when: {', '.join(CLOCKABLE)}."]})
    if line.approval != LINE_APPROVED:
        raise Conflict(f"Only approved work is clocked; line {line.operation_code} is {line.approval}.",
                       {"line_id": [f"Is {line.approval}."]})


def certificate_name(skill_code):
    """"HV_EV certificate (high-voltage work on electric vehicles)", or just "X certificate" for a code unknown here."""
    return f"{skill_code} certificate ({SKILLS[skill_code]})" if skill_code in SKILLS else f"{skill_code} certificate"


def certificate_problem(name, skill_code, qualifications):
    """Why the technician `name` may not take work needing `skill_code`, given training's qualifications answer.

    None when a certificate for it is valid on that day; otherwise the message names the missing certificate and,
    when one is held but does not count (expired, revoked, not yet valid), why.
    """
    if skill_code is None or skill_code in qualifications["skill_codes"]:
        return None
    day = qualifications["on_day"]
    problem = f"{name} has no valid {certificate_name(skill_code)} on {day}."
    lapsed = [c for c in qualifications["lapsed"] if c["skill_code"] == skill_code]
    for certificate in lapsed:
        problem += {
            "expired": f" Certificate {certificate['number']} expired on {certificate['expires_on']}.",
            "revoked": f" Certificate {certificate['number']} was revoked.",
            "not_yet_valid": f" Certificate {certificate['number']} is valid only from {certificate['issued_on']}.",
        }.get(certificate["status"], "")
    return problem


def require_certified(name, skill_code, qualifications):
    problem = certificate_problem(name, skill_code, qualifications)
    if problem:
        raise InvalidInput(problem, {"technician_id": [problem]})


def require_reassignable(line, technician_id):
    """A line goes to another technician only while nobody is clocked on it."""
    clocked_on = sorted({entry.technician_id for entry in line.clock_entries
                         if entry.ended_at is None and entry.technician_id != technician_id})
    if clocked_on:
        raise Conflict(f"Line {line.operation_code} cannot be reassigned while {', '.join(clocked_on)} "
                       "is clocked on it.", {"technician_id": ["Someone is clocked on this line: clock off first."]})


def require_not_clocked_on(open_entry, line, describe):
    """A technician works on one line at a time: clocking on elsewhere is refused, naming the open job.

    describe(entry) says which job the open entry is on.
    """
    if open_entry is None:
        return
    if open_entry.labour_line_id == line.id:
        raise Conflict(f"Already clocked on line {line.operation_code} since {open_entry.started_at.isoformat()}.",
                       {"technician_id": ["Already clocked on this line."]})
    job = describe(open_entry)
    raise Conflict(f"The technician is still clocked on {job}; clock off there first (pause or done).",
                   {"technician_id": [f"Clocked on {job} since {open_entry.started_at.isoformat()}."]})


def require_dispatched_to(line, technician_id):
    if line.technician_id is not None and line.technician_id != technician_id:
        raise Conflict(f"Line {line.operation_code} is dispatched to technician {line.technician_id}.",
                       {"technician_id": ["The line is dispatched to another technician; the foreman reassigns it."]})
