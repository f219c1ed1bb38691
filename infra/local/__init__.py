"""The local stack behind ``make run`` (``python -m infra.local``)."""
