"""Reception appointments (预约): booking against the site's real capacity, moves, cancellations, no-shows."""
from apigateway.http import api
from contracts import reception as c

TAG = "reception appointments"
APPOINTMENT = "/api/v1/appointments/<appointment_id>"


class ReceptionAppointmentsRoutes:
    @api("POST", "/api/v1/appointments", tag=TAG, body=c.NewAppointment, answer=c.AppointmentView, status=201,
         summary="Book a slot for a customer's car; refused (409) when the slot's advisors or the day's workshop "
                 "hours are used up, with details.next_free_slots")
    def book_appointment(self, body):
        return self.reception.book_appointment(body)

    @api("GET", "/api/v1/appointments", tag=TAG, query=c.AppointmentQuery, answer=c.AppointmentView, many=True,
         summary="Appointments of your sites by slot (?site_id, ?date, ?status, ?vehicle_id)")
    def list_appointments(self, query):
        return self.reception.list_appointments(query)

    @api("GET", "/api/v1/appointments/free-slots", tag=TAG, query=c.FreeSlotQuery, answer=c.FreeSlotsView,
         summary="The slots of a day (?site_id&date) where ?hours of work can still be booked")
    def free_slots(self, query):
        return self.reception.free_slots(query)

    @api("GET", APPOINTMENT, tag=TAG, answer=c.AppointmentView, summary="An appointment with its services and moves")
    def get_appointment(self, appointment_id):
        return self.reception.get_appointment(appointment_id)

    @api("POST", f"{APPOINTMENT}/move", tag=TAG, body=c.AppointmentMoveInput, answer=c.AppointmentView,
         summary="Move an appointment to another slot, checked against capacity like a new booking")
    def move_appointment(self, appointment_id, body):
        return self.reception.move_appointment(appointment_id, body)

    @api("POST", f"{APPOINTMENT}/cancel", tag=TAG, body=c.AppointmentCancellation, answer=c.AppointmentView,
         summary="Cancel an appointment with the reason; its place is free again")
    def cancel_appointment(self, appointment_id, body):
        return self.reception.cancel_appointment(appointment_id, body)

    @api("POST", f"{APPOINTMENT}/no-show", tag=TAG, answer=c.AppointmentView,
         summary="The customer did not come (allowed from the slot start plus the grace period)")
    def mark_no_show(self, appointment_id):
        return self.reception.mark_no_show(appointment_id)
