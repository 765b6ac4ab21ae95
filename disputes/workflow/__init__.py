"""Workflow: the case's stages and the operations that move it (no Flask here)."""
