"""The rules of check-in (接车), free of any database: which car and customer the desk means, when the car
can be promised back, what a walk-around may hold, and the printed job card (接车单/派工单)."""
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from svckit.errors import Conflict, InvalidInput
from svckit.schemas import describe_errors

from reception.documents import labelled_pdf
from reception.rules.visits import CHECKED_IN

PROMISE_BUFFER = timedelta(minutes=30)
DEFAULT_OPENING_HOUR, DEFAULT_CLOSING_HOUR = 8, 18
DEFAULT_PROMISE_HORIZON_DAYS = 14
DEFAULT_MAX_PHOTO_BYTES = 5 * 2**20
MAX_SIGNATURE_BYTES = 2 * 2**20

ADVISOR, SUGGESTED = "advisor", "suggested"
SIGNED, ACKNOWLEDGED, MISSING = "signed", "acknowledged", "missing"


def _refuse(details):
    raise InvalidInput(describe_errors(details), details)


# --- find or create the car and its owner in crm ---

def known_vehicle(vehicle, by_vin, by_plate):
    """The crm vehicle the desk's `vehicle` block {vin, plate} means, or None when crm does not know the car.

    A VIN names one car for good, so it decides when given; a plate only when the VIN is not given (plates
    move to another car when the owner keeps the number), and only if it names one car.
    """
    if by_vin:
        return by_vin[0]
    if vehicle.get("vin") is not None:
        return None
    if len(by_plate) > 1:
        _refuse({"vehicle": {"vin": [f"{len(by_plate)} cars carry plate {vehicle['plate']} in crm: give the VIN."]}})
    return by_plate[0] if by_plate else None


def check_registrable(vehicle, customer):
    """crm does not know the car: it is registered with its owner, which needs the VIN, plate, model, owner."""
    missing = {field: [f"crm does not know this car: give its {what} to register it."]
               for field, what in (("vin", "VIN"), ("plate", "plate"), ("model", "model"))
               if vehicle.get(field) is None}
    details = {"vehicle": missing} if missing else {}
    if customer is None:
        details["customer"] = ["crm does not know this car: give its owner {name, phone} to register them."]
    if details:
        _refuse(details)


def known_customer(by_phone):
    """The customer crm has for the phone number at the site (one at most), or None: they are registered."""
    return by_phone[0] if by_phone else None


# --- the promised time ---

def suggest_promised_time(hours, now, capacities, zone, opening=time(DEFAULT_OPENING_HOUR),
                          closing=time(DEFAULT_CLOSING_HOUR), buffer=PROMISE_BUFFER):
    """When the car can be promised back (UTC), or None when no day of `capacities` holds the work.

    `capacities`: (local date, free hours) from today on, in order (may be lazy: it is read only as far as
    needed). Today if its free hours hold the work and the work, started now (or at opening), ends with the
    buffer before closing; otherwise the first later day with enough free hours, at opening + hours + buffer.
    """
    hours = Decimal(hours)
    work = timedelta(seconds=int(hours * 3600))
    today = now.astimezone(zone).date()
    for day, free_hours in capacities:
        if Decimal(free_hours) < hours or day < today:
            continue
        opens = datetime.combine(day, opening, tzinfo=zone)
        if day == today:
            ready = max(now, opens) + work + buffer
            if ready <= datetime.combine(day, closing, tzinfo=zone):
                return ready.astimezone(timezone.utc)
            continue
        return (opens + work + buffer).astimezone(timezone.utc)
    return None


def no_promise_possible(hours, days):
    reason = f"No day of the next {days} has {hours} free workshop hours; agree a promised_at with the customer."
    return Conflict(reason, {"estimated_hours": [reason]})


# --- the walk-around ---

def check_walk_around_open(status):
    """The walk-around, photos and signature belong to the car's reception: only while it is checked in."""
    if status != CHECKED_IN:
        raise Conflict(f"The visit is {status}: the walk-around is recorded while the car is checked in.",
                       {"status": [f"Is {status}, must be {CHECKED_IN}."]})


def walk_around(data):
    """The walk-around as kept: texts trimmed; blank texts, and an 'other' mark without a note, refused."""
    details = {}
    marks = []
    for i, mark in enumerate(data["damage_marks"]):
        note = mark["note"].strip()
        if "other" in (mark["zone"], mark["kind"]) and not note:
            details.setdefault("damage_marks", {})[i] = {"note": ["Say what it is: zone or kind is 'other'."]}
        marks.append({"zone": mark["zone"], "kind": mark["kind"], "note": note})
    texts = {}
    for field in ("belongings", "concerns"):
        texts[field] = [text.strip() for text in data[field]]
        blank = {i: ["Blank."] for i, text in enumerate(texts[field]) if not text}
        if blank:
            details[field] = blank
    if details:
        _refuse(details)
    return {"damage_marks": marks, "fuel_level_percent": data["fuel_level_percent"], **texts}


def visit_concerns(concern, walk_around_concerns):
    """The customer's concerns at check-in: `concern` first when given, then those of the walk-around."""
    concerns = list(walk_around_concerns or [])
    if concern is not None and concern.strip():
        concern = concern.strip()
        concerns = [concern] + [c for c in concerns if c != concern]
    return concerns


def signature_state(signed_at, acknowledged_at):
    if signed_at is not None:
        return SIGNED
    if acknowledged_at is not None:
        return ACKNOWLEDGED
    return MISSING


# --- the job card (接车单/派工单) ---

ZONE_NAMES = {
    "front_bumper": "前保险杠", "rear_bumper": "后保险杠", "hood": "发动机盖", "roof": "车顶", "trunk": "行李箱盖",
    "left_front_door": "左前门", "left_rear_door": "左后门", "right_front_door": "右前门", "right_rear_door": "右后门",
    "left_front_fender": "左前翼子板", "right_front_fender": "右前翼子板", "left_rear_fender": "左后翼子板",
    "right_rear_fender": "右后翼子板", "windshield": "前挡风玻璃", "rear_window": "后挡风玻璃",
    "left_mirror": "左后视镜", "right_mirror": "右后视镜", "wheels": "轮毂/轮胎", "interior": "内饰", "other": "其他",
}
KIND_NAMES = {"scratch": "划痕", "dent": "凹陷", "crack": "裂纹", "paint": "漆面", "missing": "缺失", "other": "其他"}
SIGNATURE_NAMES = {SIGNED: "客户已签字 signed", ACKNOWLEDGED: "客户已确认 acknowledged", MISSING: "未签字 not signed"}

def job_card_lines(card, zone):
    """The job card as (label, text) rows; `card` holds the visit, its check-in record and names from crm."""
    def local(at):
        return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else "—"

    mileage = f"{card['mileage_km']} km"
    if card.get("mileage_correction_reason"):
        mileage += f"（里程更正 corrected: {card['mileage_correction_reason']}）"
    fuel = card.get("fuel_level_percent")
    signature = SIGNATURE_NAMES[card["signature_state"]]
    if card["signature_state"] == ACKNOWLEDGED:
        signature += f" {card['acknowledged_name']} {local(card['acknowledged_at'])}"
    elif card["signature_state"] == SIGNED:
        signature += f" {local(card['signed_at'])}"
    rows = [
        ("站点 Site", card["site_id"]),
        ("接车单号 Visit", card["visit_id"]),
        ("维修工单 Repair order", card.get("repair_order_id") or "尚未开单 not yet opened"),
        ("车牌 Plate", card["plate"]),
        ("VIN", card["vin"]),
        ("车型 Model", card.get("model") or "—"),
        ("里程 Mileage", mileage),
        ("客户 Customer", card.get("customer_name") or "—"),
        ("服务顾问 Advisor", card["advisor"]),
        ("接车时间 Checked in", local(card["checked_in_at"])),
        ("承诺交车 Promised", local(card["promised_at"])),
        ("燃油/电量 Fuel/charge", f"{fuel}%" if fuel is not None else "—"),
    ]
    concerns = card.get("concerns") or [card["concern"]]
    rows += [("客户陈述 Concerns" if i == 0 else "", f"{i + 1}. {text}") for i, text in enumerate(concerns)]
    marks = card.get("damage_marks") or []
    rows += [("车损 Damage" if i == 0 else "",
              f"{ZONE_NAMES[m['zone']]} {KIND_NAMES[m['kind']]}" + (f"：{m['note']}" if m["note"] else ""))
             for i, m in enumerate(marks)] or [("车损 Damage", "无 none recorded")]
    belongings = card.get("belongings") or []
    rows.append(("车内物品 Belongings", "、".join(belongings) if belongings else "无 none"))
    if card.get("walk_around_notes"):
        rows.append(("环车备注 Notes", card["walk_around_notes"]))
    rows.append(("客户签字 Signature", signature))
    return rows


def job_card_pdf(card, zone, signature_png=None):
    """The job card (接车单) as PDF bytes."""
    return labelled_pdf("接车单 / 派工单  Job card", f"接车单 {card['plate']}", job_card_lines(card, zone),
                        image=signature_png, image_unreadable_text="(签字图像无法显示 signature image unreadable)")
