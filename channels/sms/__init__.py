"""The SMS channel: providers that send, and (later) two-way inbound commands."""
