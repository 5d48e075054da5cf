"""Reception appointments: filled in by its area."""


class ReceptionAppointmentsRoutes:
    pass
