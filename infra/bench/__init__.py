"""``make bench`` (``python -m infra.bench``): figures as ratios against floors measured in the same run."""
