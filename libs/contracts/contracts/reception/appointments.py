"""reception appointments (预约): booking against the site's real capacity, reminders, arrival."""

EVENTS = []
