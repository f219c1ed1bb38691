"""Use cases of the core, one module per aggregate; entry points call these."""
