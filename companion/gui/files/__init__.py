"""Files on disk: open and save, encodings, autosave and recovery, watching for changes."""
