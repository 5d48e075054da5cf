"""Counter sales to retail and trade customers (quote, order, pick, invoice) and delivery orders."""

__all__ = ["EVENTS"]

EVENTS = []
