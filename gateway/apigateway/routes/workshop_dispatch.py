"""Workshop dispatch: filled in by its area."""


class WorkshopDispatchRoutes:
    pass
