"""Names of the stage's AWS resources, as the infra template creates them (``minqing-<x>-<stage>``).

Read at import because Chalice's decorators need them when packaging; the stage comes from
``MINQING_STAGE`` which every Chalice stage sets.
"""

from __future__ import annotations

import os


def stage() -> str:
    """The Chalice stage being packaged or run."""
    return os.environ.get("MINQING_STAGE", "dev")


def topic_name(kind: str) -> str:
    """``minqing-<kind>-<stage>``."""
    return f"minqing-{kind}-{stage()}"


def queue_name(kind: str) -> str:
    """``minqing-<kind>-<stage>``."""
    return f"minqing-{kind}-{stage()}"
