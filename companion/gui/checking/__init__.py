"""Checking as you type: the scheduler, the background worker, per-paragraph state, loading."""
