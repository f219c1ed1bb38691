"""Minqing's channel-neutral core: the contract, services, storage, identity and config.

Nothing in here imports ``channels`` or ``functions``.
"""
