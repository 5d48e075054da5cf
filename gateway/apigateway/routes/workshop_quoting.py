"""Workshop quoting: filled in by its area."""


class WorkshopQuotingRoutes:
    pass
