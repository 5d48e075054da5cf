"""Workshop progress: filled in by its area."""


class WorkshopProgressRoutes:
    pass
