"""Appointments (预约): booking against the site's real capacity, reminders, arrival."""
from svckit.errors import NotFound


class AppointmentApi:
    def appointment_arrived(self, appointment_id, visit):
        """The customer of `appointment_id` arrived and `visit` began (called by check-in, same transaction)."""
        raise NotFound(f"No appointment {appointment_id}.", {"appointment_id": ["Unknown appointment."]})
