"""Reception tracking: filled in by its area."""


class ReceptionTrackingRoutes:
    pass
