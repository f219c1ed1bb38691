"""``python -m infra.local``: the whole product on loopback."""

from infra.local.stack import main

main()
