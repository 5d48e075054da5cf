"""What customers are told as their car moves through the workshop: the rules on their own
(crm consuming the status changes on the real broker is in test_crm_service.py)."""
from datetime import datetime, timezone

from crm.rules.messages import SUPPRESSED, appointment_reminder_text, message_status, status_update_text

PROMISED = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)  # 17:30 in China


def test_the_customer_hears_of_the_steps_that_change_their_day_in_china_time():
    assert status_update_text("in_progress", "沪A12345", PROMISED) == "您的爱车沪A12345已开始维修，预计11-26 17:30完工。"
    assert "可以随时提车" in status_update_text("ready_for_delivery", "沪A12345", PROMISED)
    assert "原因：等待保险公司定损" in status_update_text("on_hold", "沪A12345", PROMISED, "等待保险公司定损")


def test_internal_steps_are_not_sent():
    for status in ("opened", "diagnosing", "awaiting_approval", "approved", "completed", "rework", "delivered",
                   "closed"):
        assert status_update_text(status, "沪A12345", PROMISED) is None


def test_a_customer_who_refused_messages_is_not_sent_one():
    assert message_status(False) == SUPPRESSED


def test_the_appointment_reminder_names_the_time_in_china_and_the_work():
    assert appointment_reminder_text("沪A12345", PROMISED, ["小保养", "四轮定位"]) == (
        "温馨提示：您预约了明天11-26 17:30为爱车沪A12345进行小保养、四轮定位，请准时到店，如需改期请致电服务顾问。")
