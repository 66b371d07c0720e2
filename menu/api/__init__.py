"""The management API under /api/v1/: a restaurant's own systems (e.g. its till) edit its menu."""
