"""Lambda entry points: HTTP routes (one Blueprint per file), consumers and schedules."""
