"""The command line's progress lines: a batch where every capture fails prints a bounded number of
failure lines as it runs; step durations are written as the language writes numbers."""

from __future__ import annotations

import io

from somecapture.cli import console as console_module
from somecapture.cli.console import Console
from somecapture.events import BatchProgress, CaptureFinished
from somecapture.messages import Msg, render


def test_failures_stop_being_printed_one_by_one_after_the_cap() -> None:
    console = Console(lang="nn")
    out = io.StringIO()
    console.err = out  # not a terminal: plain lines, no bar
    cap = console_module.FAILED_LIVE_LINES
    total = 3 * cap
    for n in range(total):
        console.on_batch_event(BatchProgress("b", total, n, {"failed": n}, None))
        console.on_batch_event(CaptureFinished(f"c{n}", f"http://127.0.0.1:9/{n}", "failed",
                                               None, Msg("error.cancelled")))
    console.on_batch_event(CaptureFinished("ok", "http://127.0.0.1:9/ok", "complete",
                                           "/tmp/pakke", None))
    lines = out.getvalue().splitlines()
    failed = [line for line in lines if "http://127.0.0.1:9/" in line and "/ok" not in line]
    # the first cap - 1 failures one by one, then one line saying where the rest go
    assert len(failed) == cap - 1
    assert lines[cap - 1] == render(Msg("cli.failed_live_cap", count=cap), "nn", "cli")
    assert f"http://127.0.0.1:9/{cap - 1} " not in out.getvalue()
    # a capture that did not fail is still said
    assert "http://127.0.0.1:9/ok" in lines[-1]
    assert len(lines) == cap + 1


def test_step_durations_are_written_as_the_language_writes_numbers() -> None:
    from somecapture.events import StepFinished

    lines = {}
    for lang in ("nb", "nn", "en"):
        console = Console(lang=lang)
        console.err = io.StringIO()
        console.on_event(StepFinished("c", "settle", "ok", "", 0.43))
        lines[lang] = console.err.getvalue()
    assert lines["nb"].rstrip().endswith("0,4s") and lines["nn"].rstrip().endswith("0,4s")
    assert lines["en"].rstrip().endswith("0.4s")
