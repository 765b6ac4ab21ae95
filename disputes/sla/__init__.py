"""Statutory periods and timers (no Flask here)."""
