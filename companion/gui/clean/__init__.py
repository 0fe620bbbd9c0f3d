"""Cleaning: the Clean… review dialog and cleaning a folder."""
