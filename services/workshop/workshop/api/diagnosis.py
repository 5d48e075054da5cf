"""workshop diagnosis: filled in by its area."""


class DiagnosisApi:
    pass
