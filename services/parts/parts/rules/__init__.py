"""Rules of the parts department in plain Python: tested without a broker or a database."""
