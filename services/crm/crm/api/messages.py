"""Messages to customers about their visit, queued for the dealer's SMS/WeChat gateway."""
from nameko.rpc import rpc
from sqlalchemy import select

from contracts.crm import CUSTOMER_MESSAGE_QUEUED, CustomerMessageQuery, CustomerMessageView
from contracts.reception import APPOINTMENT_REMINDER_DUE
from contracts.workshop import REPAIR_ORDER_STATUS_CHANGED
from crm.rules.messages import MESSAGE_CHANNEL, QUEUED, appointment_reminder_text, message_status, status_update_text
from crm.models import CustomerMessage, Vehicle
from svckit.events import consumes
from svckit.schemas import load


class MessageApi:
    @consumes(REPAIR_ORDER_STATUS_CHANGED)
    def tell_customer_about_progress(self, event):
        change = event.payload
        vehicle = self.db.get(Vehicle, change["vehicle_id"])
        if vehicle is None:
            return  # a car crm does not know has nobody to tell
        text = status_update_text(change["to_status"], vehicle.plate, change["promised_at"], change["reason"])
        if text is not None:
            self._queue_message(vehicle, change["repair_order_id"], f"status:{change['to_status']}", text,
                                event.site_id)

    @consumes(APPOINTMENT_REMINDER_DUE)
    def remind_customer_of_appointment(self, event):
        appointment = event.payload
        vehicle = self.db.get(Vehicle, appointment["vehicle_id"])
        if vehicle is None:
            return
        text = appointment_reminder_text(vehicle.plate, appointment["slot_start"],
                                         [service["description"] for service in appointment["services"]])
        self._queue_message(vehicle, None, "appointment_reminder", text, event.site_id)

    @rpc
    def list_customer_messages(self, payload):
        data = load(CustomerMessageQuery, payload)
        query = self.auth.restrict_to_sites(select(CustomerMessage), CustomerMessage.site_id, data["site_id"])
        for field in ("customer_id", "vehicle_id", "repair_order_id"):
            if data[field] is not None:
                query = query.where(getattr(CustomerMessage, field) == data[field])
        query = query.order_by(CustomerMessage.created_at.desc()).limit(500)
        return CustomerMessageView(many=True).dump(self.db.scalars(query).all())

    def _queue_message(self, vehicle, repair_order_id, topic, text, site_id):
        customer = self._customer(vehicle.customer_id)
        message = self.db.add(CustomerMessage(
            site_id=site_id, customer_id=customer.id, vehicle_id=vehicle.id, repair_order_id=repair_order_id,
            topic=topic, channel=MESSAGE_CHANNEL, text=text, status=message_status(customer.contact_consent)))
        self.db.flush()
        if message.status == QUEUED:
            self.db.emit(CUSTOMER_MESSAGE_QUEUED, {
                "message_id": message.id, "customer_id": message.customer_id, "vehicle_id": message.vehicle_id,
                "repair_order_id": repair_order_id, "topic": topic, "channel": message.channel, "text": text,
            }, site_id=site_id)
        return message
