"""LanguageTool's JSON matches as findings: offsets in code points, categories and levels."""

from __future__ import annotations

import logging
from typing import Any

from companion.core.findings import Finding, Level
from companion.core.grammar.offsets import Utf16Index

log = logging.getLogger(__name__)

#: LanguageTool issue types shown only in the picky profile.
PICKY_ISSUE_TYPES = frozenset({"style", "typographical", "whitespace", "register"})
MAX_SUGGESTIONS = 5

_SPELLING_RULE_PREFIXES = ("MORFOLOGIK_RULE", "HUNSPELL")


def languagetool_findings(
    text: str, matches: list[dict[str, Any]], dropped_categories: frozenset[str]
) -> list[Finding]:
    """LanguageTool's JSON matches in ``text`` as findings (code-point offsets), sorted."""
    index = Utf16Index(text)
    findings = []
    for match in matches:
        try:
            finding = _finding(text, index, match, dropped_categories)
        except (KeyError, TypeError, ValueError) as exc:
            log.debug("skipping a malformed LanguageTool match %r: %s", match, exc)
            continue
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


def _finding(
    text: str, index: Utf16Index, match: dict[str, Any], dropped_categories: frozenset[str]
) -> Finding | None:
    rule = match.get("rule") or {}
    rule_id = str(rule.get("id") or "UNKNOWN")
    category_id = str((rule.get("category") or {}).get("id") or "").upper()
    if category_id in dropped_categories:
        return None
    offset, length = int(match["offset"]), int(match["length"])
    start, end = index.start(offset), index.end(offset + length)
    if not 0 <= start < end <= len(text):
        log.debug("LanguageTool match %s outside the text: %d..%d", rule_id, offset, offset + length)
        return None
    issue = str(rule.get("issueType") or "").lower()
    spelling = issue == "misspelling" or rule_id.startswith(_SPELLING_RULE_PREFIXES)
    level = Level.PICKY if issue in PICKY_ISSUE_TYPES and not spelling else Level.ESSENTIAL
    message = _clean_message(str(match.get("message") or match.get("shortMessage") or ""))
    replacements = match.get("replacements") or []
    suggestions = tuple(
        str(r["value"]) for r in replacements if isinstance(r, dict) and isinstance(r.get("value"), str)
    )[:MAX_SUGGESTIONS]
    return Finding(
        start=start,
        end=end,
        category="spelling" if spelling else "grammar",
        rule=f"grammar.{rule_id}",
        message=message or ("Possible spelling mistake." if spelling else "Possible grammar mistake."),
        suggestions=suggestions,
        source="grammar",
        level=level,
        matched=text[start:end],
    )


def _clean_message(message: str) -> str:
    return message.replace("<suggestion>", "“").replace("</suggestion>", "”").strip()
