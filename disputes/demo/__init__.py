"""Demonstration and synthetic data (used by `flask demo load` and by bench/)."""
