"""``python -m companion``: the same program as the ``humanize`` command."""

from __future__ import annotations

import sys

from companion.cli import main

if __name__ == "__main__":
    sys.exit(main())
