"""The pieces of scripts/build_human_corpus.py, one job each."""
