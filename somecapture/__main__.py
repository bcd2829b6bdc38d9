"""``python -m somecapture`` runs the command-line interface."""

from somecapture.cli.main import entry_point

entry_point()
