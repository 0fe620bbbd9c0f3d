"""Companion mode: the small always-on-top window, the clipboard watch."""
