"""The rules of customer care, free of any database: mileage, follow-up calls, consent."""
from datetime import timedelta, timezone

DEFAULT_FOLLOW_UP_DELAY_DAYS = 3
FOLLOW_UP_CHANNEL = "phone"
FOLLOW_UP_REASON = "Post-service follow-up call"


def recorded_mileage(recorded_km, reported_km):
    """The mileage to keep after a visit reports `reported_km`: an odometer only ever goes up.

    A lower reading is a typo at the desk or a replaced instrument cluster, never the car
    getting younger, so it does not overwrite what crm already knows.
    """
    return max(recorded_km, reported_km)


def follow_up_due_at(delivered_at, delay_days=DEFAULT_FOLLOW_UP_DELAY_DAYS):
    """When the care call after a delivery is due: `delay_days` after the car went home, in UTC."""
    if delay_days < 0:
        raise ValueError(f"A follow-up cannot be due before the delivery: delay_days={delay_days}")
    if delivered_at.tzinfo is None:
        delivered_at = delivered_at.replace(tzinfo=timezone.utc)
    return delivered_at.astimezone(timezone.utc) + timedelta(days=delay_days)


def follow_up_status(contact_consent):
    """A customer who did not agree to service calls is not called.

    The follow-up is still recorded, as cancelled, so the visit shows why nobody called.
    """
    return "scheduled" if contact_consent else "cancelled"
