"""Deployment templates, packaging and the local stack."""
