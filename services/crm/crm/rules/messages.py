"""What the customer is told as their car moves through the workshop (manual 4.3: 及时告知客户维修进度).

Plain rules: which changes of a repair order the customer hears about, and in which words.
Internal steps (opened, diagnosing, completed -> quality, rework, closed) are not sent: the customer
hears about what changes their day, not about the workshop's paperwork. The quote reaches the customer
through the advisor or the visit's tracking link, not as a status message (it is often approved on the spot).
"""
from datetime import timezone, timedelta

CHINA = timezone(timedelta(hours=8))
QUEUED, SUPPRESSED = "queued", "suppressed"
MESSAGE_CHANNEL = "sms"


def _time(moment):
    return moment.astimezone(CHINA).strftime("%m-%d %H:%M")


def status_update_text(to_status, plate, promised_at, reason=None):
    """The message for a repair order that became `to_status`, or None when the customer is not told."""
    because = f"（原因：{reason}）" if reason else ""
    texts = {
        "waiting_for_parts": f"您的爱车{plate}所需配件正在调拨/订购中，到货后立即安排维修。",
        "in_progress": f"您的爱车{plate}已开始维修，预计{_time(promised_at)}完工。",
        "on_hold": f"您的爱车{plate}的维修暂停{because}，服务顾问会与您联系。",
        "ready_for_delivery": f"您的爱车{plate}已完工并通过质检，可以随时提车。",
        "cancelled": f"您的爱车{plate}的维修单已取消{because}。",
    }
    return texts.get(to_status)


def appointment_reminder_text(plate, slot_start, services):
    """The day-before reminder of an appointment (预约提醒)."""
    work = "、".join(services) if services else "保养维修"
    return f"温馨提示：您预约了明天{_time(slot_start)}为爱车{plate}进行{work}，请准时到店，如需改期请致电服务顾问。"


def message_status(contact_consent):
    """A customer who refused messages is not sent one; the message is kept, marked suppressed."""
    return QUEUED if contact_consent else SUPPRESSED
