"""The side panel: document figures, the paragraph chart, findings by category."""
