"""Deployment: ``resources.json`` (what production deploys, and what the local stack creates) and packaging."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources.json"
