"""Which lots stock leaves from: first expiry, first out; never an expired batch."""
from datetime import date

from svckit.errors import Conflict

FAR_FUTURE = date.max


def pick_first_expiry_first(lots, quantity, today):
    """[(lot, quantity taken)] covering `quantity` from unexpired lots, soonest expiry first, then oldest.

    Lots without an expiry date go last. Raises Conflict when unexpired stock is short.
    """
    usable = sorted(
        (lot for lot in lots if lot.quantity > 0 and not is_expired(lot, today)),
        key=lambda lot: (lot.expiry_date or FAR_FUTURE, lot.received_at, lot.id))
    picked, remaining = [], quantity
    for lot in usable:
        if remaining <= 0:
            break
        take = min(lot.quantity, remaining)
        picked.append((lot, take))
        remaining -= take
    if remaining > 0:
        expired = sum((lot.quantity for lot in lots if is_expired(lot, today)), 0)
        detail = f"; {expired} more is expired and must be written off" if expired else ""
        raise Conflict(f"Only {quantity - remaining} of {quantity} can be picked from unexpired stock{detail}.",
                       {"quantity": [f"Short by {remaining}."]})
    return picked


def is_expired(lot, today):
    return lot.expiry_date is not None and lot.expiry_date < today


def days_left(lot, today):
    return (lot.expiry_date - today).days
