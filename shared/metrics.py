"""CloudWatch metrics as Embedded Metric Format log lines (no API call, no extra permission).

https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("minqing.metrics")
NAMESPACE = "Minqing"


def count(metric: str, **dimensions: str) -> None:
    """Emit ``metric`` = 1 with the given dimensions (e.g. channel, kind)."""
    emf = {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
        "Namespace": NAMESPACE, "Dimensions": [sorted(dimensions), []],  # and a total, for alarms
        "Metrics": [{"Name": metric, "Unit": "Count"}]}]}
    log.info("metric %s", metric, extra={"_aws": emf, metric: 1, **dimensions})
