"""One adapter per channel: verify and parse inbound, render and send outbound.

Channels never import each other; they depend on ``shared`` only.
"""
