"""Approval backends: the built-in one (default) behind the ``ApprovalBackend`` port."""
