"""Operator commands for a running stack."""
