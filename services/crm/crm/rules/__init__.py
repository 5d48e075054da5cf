"""crm rules, free of any database or broker: plain functions."""
