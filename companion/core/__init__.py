"""The analysis core: plain text in, immutable findings out. Imports no Qt."""
