"""What :mod:`companion.core.documents` and :mod:`companion.core.docx_text` both need.

Kept apart so that neither imports the other: ``documents`` reads and writes files and
calls into ``docx_text`` for Word documents; ``docx_text`` only needs the error type and
the line-break pattern defined here. This module imports nothing from the package.
"""

from __future__ import annotations

import re

#: Any line break a file may hold: ``"\r\n"``, ``"\r"`` or ``"\n"``.
NEWLINES = re.compile(r"\r\n|\r|\n")


class DocumentError(Exception):
    """A file that cannot be read or written; ``str(error)`` is a message for the user."""
