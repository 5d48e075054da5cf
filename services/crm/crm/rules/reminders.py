"""Reminders of declined work (建议维修项目提醒): when the customer hears again of work they declined, and how."""
from datetime import timedelta, timezone

DEFAULT_REMINDER_DAYS = 30
SCHEDULED, SENT, CANCELLED = "scheduled", "sent", "cancelled"
REMINDER_TOPIC = "recommendation_reminder"


def reminder_due_at(delivered_at, days=DEFAULT_REMINDER_DAYS):
    if days < 0:
        raise ValueError(f"A reminder cannot be due before the delivery: days={days}")
    if delivered_at.tzinfo is None:
        delivered_at = delivered_at.replace(tzinfo=timezone.utc)
    return delivered_at.astimezone(timezone.utc) + timedelta(days=days)


def reminder_text(plate, descriptions):
    """The message, in the customer's words: what was advised and not yet done."""
    items = "、".join(descriptions)
    return f"您的爱车{plate}上次到店时技师建议的项目尚未处理：{items}。为了行车安全，欢迎预约到店检查。"


def still_open(recommendations):
    """Work done or dismissed since the delivery is no longer worth a reminder."""
    return [recommendation for recommendation in recommendations if recommendation.status == "open"]
