"""workshop dispatch: filled in by its area."""


class DispatchApi:
    pass
