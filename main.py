"""Start Humanize: ``python main.py`` opens the editor, ``python main.py FILE`` opens FILE in it.

Sub-commands (``check``, ``clean``, ...) work here too: ``python main.py check essay.md``.
"""

from __future__ import annotations

import sys

from companion.cli import main

if __name__ == "__main__":
    sys.exit(main())
