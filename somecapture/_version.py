"""The version, in its own module: engine and package code depend on it, not on the package
root's public API (``somecapture/__init__.py`` is kept free of engine imports)."""

__version__ = "0.1.0"
