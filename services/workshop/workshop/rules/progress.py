"""The progress board (进度看板) and comebacks (返修, 一次修复率), free of any database.

Same concern: both texts are normalised (Unicode NFKC, case folded, everything but letters and digits
dropped, so spaces and punctuation do not count); they are the same concern when the shorter (of at least
two characters) is contained in the longer, or when the Jaccard similarity of their sets of character
bigrams (pairs of neighbouring characters) is at least 0.5. Character bigrams work alike for Chinese,
which has no spaces between words, and for English:
  "左前轮刹车异响" vs "左前轮刹车有异响": 5 shared of 8 bigrams, 0.625 -> same;
  "Brakes squeal" vs "brakes squeal when braking": contained -> same;
  "空调不制冷" vs "左前轮刹车异响": nothing shared -> not the same.
"""
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from workshop.rules import repair_order as ro

COMEBACK_WINDOW = timedelta(days=30)
SAME_CONCERN_SIMILARITY = 0.5
HUNDRED = Decimal("100")


# --- comebacks ---

def normalise_concern(text):
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(char for char in folded if char.isalnum())


def bigrams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} - {""}


def concern_similarity(first, second):
    """Jaccard similarity of the character bigrams of the two normalised texts (0 to 1)."""
    a, b = bigrams(normalise_concern(first)), bigrams(normalise_concern(second))
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def same_concern(first, second):
    a, b = normalise_concern(first), normalise_concern(second)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return True
    return concern_similarity(a, b) >= SAME_CONCERN_SIMILARITY


@dataclass(frozen=True)
class PastOrder:
    """An earlier order of the same vehicle, delivered at delivered_at."""
    repair_order_id: str
    concern: str
    delivered_at: datetime


def repeated_order(concern, opened_at, past_orders, window=COMEBACK_WINDOW):
    """The most recently delivered earlier order this one repeats (same concern, delivered within `window`
    before `opened_at`), or None."""
    repeated = [past for past in past_orders
                if opened_at - window <= past.delivered_at <= opened_at and same_concern(concern, past.concern)]
    return max(repeated, key=lambda past: past.delivered_at, default=None)


def percentage(part, whole):
    """part / whole in per cent with two places, half up; None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- the board ---

def progress_percent(clocked_hours, standard_hours):
    """Clocked work hours against approved standard hours, in whole per cent (over 100 when overrun)."""
    if not standard_hours:
        return None
    return int((Decimal(clocked_hours) * HUNDRED / Decimal(standard_hours)).quantize(Decimal("1"),
                                                                                     rounding=ROUND_HALF_UP))


def minutes_left(now, promised_at):
    """Whole minutes until the promised time; negative once it has passed."""
    return int((promised_at - now).total_seconds() // 60)


def waiting_reason(status, *, waiting_parts=(), hold_reason=None, pending_lines=0, rework_items=()):
    """Why the order waits, in words, for the states in which it waits on something; else None.

    waiting_parts: (part number, expected_at or None); rework_items: (item, note) of the failed inspection.
    """
    if status == ro.WAITING_FOR_PARTS:
        parts = ", ".join(f"{number} (expected by {expected.isoformat()})" if expected else f"{number} (no date yet)"
                          for number, expected in waiting_parts)
        return f"Waiting for parts: {parts}." if parts else "Waiting for parts."
    if status == ro.ON_HOLD:
        return f"On hold: {hold_reason}" if hold_reason else "On hold."
    if status == ro.AWAITING_APPROVAL:
        lines = f" on {pending_lines} quoted line{'s' if pending_lines != 1 else ''}" if pending_lines else ""
        return f"Waiting for the customer's answer{lines}."
    if status == ro.REWORK:
        items = "; ".join(f"{item}: {note}" if note else item for item, note in rework_items)
        return f"Rework after the failed final inspection{': ' + items if items else ''}."
    return None
