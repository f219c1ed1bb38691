"""``python -m infra.bench``: print every figure with its target."""

from infra.bench.run import main

main()
