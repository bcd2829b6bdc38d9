"""PyInstaller entry point of the ``somecapture-gui`` windowed executable."""

from somecapture.gui.app import entry_point

entry_point()
