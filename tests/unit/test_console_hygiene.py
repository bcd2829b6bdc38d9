"""The command line's console: every line it writes is cleaned, one line per message.

Fed the events and results a hostile page produces; the expected lines are written out from
the inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from somecapture.cli.console import Console
from somecapture.events import CaptureFinished, CaptureMessage, StepFinished
from somecapture.models import CaptureResult, CaptureStatus

ESC, BEL = "\x1b", "\x07"
LABEL = f"Vis flere{ESC}[2J{ESC}]0;HACK{BEL}\r    COMPLETE: /fake\u202e"


def test_step_message_and_note_are_one_clean_line(capsys: pytest.CaptureFixture[str]) -> None:
    console = Console(lang="en")
    console.on_event(StepFinished("c", "expand-thread", "ok", f"clicked '{LABEL}' ×1", 0.5))
    console.on_event(CaptureMessage("c", f"behind '{LABEL}'\nPARTIAL: /other"))
    err = capsys.readouterr().err
    # the step by the archivist's name for it (step.expand-thread in the catalogue)
    assert err.splitlines() == [
        f"    {'Opening all replies':<40} {'ok':<10}    0.5s – "
        "clicked 'Vis flere     COMPLETE: /fake' ×1",
        "    · behind 'Vis flere     COMPLETE: /fake' PARTIAL: /other",
    ]


def test_result_lines_cannot_forge_an_outcome(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    result = CaptureResult(url="https://example.org/p", capture_id="c",
                           status=CaptureStatus.PARTIAL, package=tmp_path / "pkg",
                           warnings=[f"missing: {LABEL}\n    COMPLETE: /fake2"])
    Console(lang="en").result(result)
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        "    warning: missing: Vis flere     COMPLETE: /fake     COMPLETE: /fake2",
        f"    PARTIAL: {tmp_path / 'pkg'}",
    ]
    assert out.out == f"{tmp_path / 'pkg'}\n"


def test_failed_capture_and_batch_lines(capsys: pytest.CaptureFixture[str]) -> None:
    console = Console(lang="en")
    failed = CaptureResult(url="https://example.org/p", capture_id="c",
                           error=f"The server answered 500 {ESC}]0;x{BEL}Feil\u202e.")
    console.result(failed)
    console.on_batch_event(CaptureFinished("c", "https://example.org/p", "failed", None,
                                           f"Feil{ESC}[2K\rCOMPLETE"))
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "Error: https://example.org/p: FAILED – The server answered 500 Feil.",
        f"{'failed':<12} https://example.org/p  Feil COMPLETE",
    ]


def test_the_tools_own_multiline_message_keeps_its_lines(
        capsys: pytest.CaptureFixture[str]) -> None:
    Console(lang="en").error(f"No browser was found. Tried:\n  system: not found{ESC}[2J",
                             multiline=True)
    assert capsys.readouterr().err == "Error: No browser was found. Tried:\n  system: not found\n"


def test_json_keeps_the_text_and_escapes_it(capsys: pytest.CaptureFixture[str]) -> None:
    value = {"error": f"Feil{ESC}]0;x{BEL}\u202e\x9b2J æøå"}
    Console(json_mode=True).json(value)
    out = capsys.readouterr().out
    assert json.loads(out) == value
    for char in (ESC, BEL, "\u202e", "\x9b"):
        assert char not in out
