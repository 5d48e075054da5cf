"""Workshop diagnosis: filled in by its area."""


class WorkshopDiagnosisRoutes:
    pass
