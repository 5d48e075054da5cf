"""What every reception contract module shares."""

SOURCE = "reception"
