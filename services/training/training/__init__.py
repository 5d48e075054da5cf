"""training: staff files, roles and grades, and the work credited to each technician (manual chapter 8)."""
