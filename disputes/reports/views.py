"""The supervisor's dashboard."""
