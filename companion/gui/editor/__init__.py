"""The text editor: underlines, the suggestion menu and hover card, find bar, offsets."""
