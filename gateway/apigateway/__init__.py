"""gateway: the platform's HTTP front door (JSON REST under /api/v1)."""
