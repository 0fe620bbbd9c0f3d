"""The names the user reads for categories and sources: one table for every widget."""

from __future__ import annotations

from companion.core.findings import Finding

#: Category -> (one finding's label, a group's label), in the order groups are listed.
CATEGORIES: dict[str, tuple[str, str]] = {
    "ai-ism": ("AI-ism", "AI-isms"),
    "jargon": ("Jargon", "Jargon"),
    "wordy": ("Wordy", "Wordy"),
    "cliche": ("Cliché", "Clichés"),
    "hedge": ("Hedge", "Hedges"),
    "filler": ("Filler", "Filler"),
    "transition": ("Stock transition", "Stock transitions"),
    "structure": ("Robotic structure", "Robotic structures"),
    "passive": ("Passive voice", "Passive voice"),
    "adverb": ("Adverb", "Adverbs"),
    "weasel": ("Weasel word", "Weasel words"),
    "readability": ("Hard to read", "Hard sentences"),
    "grammar": ("Grammar", "Grammar"),
    "spelling": ("Spelling", "Spelling"),
}
#: Group labels by category (the side panel, Clean…, Settings), in listing order.
CATEGORY_LABELS = {category: names[1] for category, names in CATEGORIES.items()}
#: Where a finding comes from, as the hover card says it.
SOURCES = {
    "library": "phrase library",
    "semantic": "sounds like a stock phrase",
    "style": "style",
    "readability": "readability",
    "grammar": "LanguageTool",
    "spelling": "dictionary",
}


def finding_kind(f: Finding) -> str:
    """ "Cliché · phrase library": a finding's category and source, for its card."""
    category = CATEGORIES.get(f.category, (f.category.title(),))[0]
    return f"{category} · {SOURCES.get(f.source, f.source)}"
