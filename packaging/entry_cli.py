"""PyInstaller entry point of the ``somecapture`` console executable."""

from somecapture.cli.main import entry_point

entry_point()
