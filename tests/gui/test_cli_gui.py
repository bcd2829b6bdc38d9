"""``somecapture gui``: starts the app, or says clearly how to install PySide6."""

from __future__ import annotations

import sys

from somecapture.cli.main import build_parser, main
from somecapture.cli.status import ExitStatus


def test_gui_is_a_listed_command():
    assert "gui" in build_parser().format_help()


def test_gui_runs_the_app(monkeypatch):
    calls: list[object] = []
    monkeypatch.setattr("somecapture.gui.app.run", lambda argv=None: calls.append(argv) or 0)
    assert main(["gui"]) == ExitStatus.OK
    assert len(calls) == 1


def test_without_pyside6_gui_explains_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    assert main(["gui"]) == ExitStatus.ENVIRONMENT
    err = capsys.readouterr().err
    assert "needs PySide6" in err and "somecapture[gui]" in err


def test_the_engine_does_not_import_qt():
    import subprocess

    code = ("import sys, somecapture, somecapture.engine.capture, somecapture.cli.main; "
            "assert 'PySide6' not in sys.modules, 'the engine imported Qt'")
    subprocess.run([sys.executable, "-c", code], check=True)
