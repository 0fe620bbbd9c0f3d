"""Packages are found, not listed: every ``companion`` package, plus the bundled data.

``companion.resources`` is the top-level ``resources/`` folder (``package-dir`` in
pyproject.toml), which ``[tool.setuptools.packages.find]`` cannot map; the rest of the
configuration is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["companion", "companion.*"]), "companion.resources"])
