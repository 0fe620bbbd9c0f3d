"""The Qt front end. Importing it guards against a PySide6 6.12 bug (see ``compat``)."""

from companion.gui import compat as _compat

_compat.apply()
