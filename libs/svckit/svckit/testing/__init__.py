"""Test support shared by every service's tests: real broker and databases, isolated per run."""
