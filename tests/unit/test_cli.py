"""The CLI contract: version, usage errors, exit codes, JSON, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from somecapture import __version__
from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "somecapture", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_version() -> None:
    proc = _run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"somecapture {__version__}"


def test_no_command_prints_help() -> None:
    proc = _run()
    assert proc.returncode == ExitStatus.USAGE
    assert "capture" in proc.stderr


def test_unknown_option_is_usage_error() -> None:
    proc = _run("capture", "--nope", "https://example.com/")
    assert proc.returncode == ExitStatus.USAGE
    assert "--nope: not an option of 'somecapture capture'" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "not a url"])
def test_bad_url_is_usage_error_before_anything_starts(url: str, tmp_path: Path) -> None:
    proc = _run("capture", url, "--out", str(tmp_path / "out"))
    assert proc.returncode == ExitStatus.USAGE
    assert "Error:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()  # nothing was started


def test_bad_option_value_is_usage_error(tmp_path: Path) -> None:
    proc = _run("capture", "https://example.com/", "--timeout", "0", "--out", str(tmp_path))
    assert proc.returncode == ExitStatus.USAGE
    # named as typed, never by the option's internal name
    assert "--timeout: 0 is out of range" in proc.stderr and "Traceback" not in proc.stderr
    assert "capture_timeout_s" not in proc.stderr


def test_missing_browser_is_environment_error(tmp_path: Path) -> None:
    proc = _run("capture", "http://127.0.0.1:1/x", "--out", str(tmp_path),
                "--browser", str(tmp_path / "no-such-browser"))
    assert proc.returncode == ExitStatus.ENVIRONMENT
    assert "No Chromium-based browser was found" in proc.stderr
    assert "no-such-browser" in proc.stderr and "--browser" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_output_dir_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    # a file where a folder above it must be: the option is wrong, found before any browser
    # starts or any address is opened (review 22)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["capture", "https://example.com/", "--out", str(blocker / "sub")]) == (
        ExitStatus.USAGE)


@pytest.mark.browser
def test_private_network_is_blocked_by_default(site: object, tmp_path: Path) -> None:
    from tests.fixtures.site.server import FixtureSite

    assert isinstance(site, FixtureSite)
    proc = _run("capture", site.url("/gzip/page"), "--out", str(tmp_path))
    assert proc.returncode == ExitStatus.FAILED
    assert "private or local network" in proc.stderr and "--allow-private-network" in proc.stderr
    # nothing configured: the archivist is told what the arkivmelding will lack, up front
    assert "Note: No organisation is configured" in proc.stderr
    assert "Note: No case given" in proc.stderr and "--case" in proc.stderr
    assert "Note: the packages will not be sealed" in proc.stderr  # no time-stamp authority
    assert "Note: No own accounts are configured" in proc.stderr  # the agency is screened
    config = tmp_path / "somecapture.toml"
    config.write_text('[organisation]\nname = "Oslo kommune"\n'
                      '[own_accounts]\n"*" = ["oslokommune"]\n'
                      '[timestamp]\nurls = ["http://127.0.0.1:9/tsa"]\n', encoding="utf-8")
    proc = _run("capture", site.url("/gzip/page"), "--out", str(tmp_path), "--config",
                str(config), "--case", "2024/123")
    assert proc.returncode == ExitStatus.FAILED
    assert "Note:" not in proc.stderr, proc.stderr


def test_registration_notes_only_for_an_arkivmelding() -> None:
    from somecapture.options import RecordOptions
    from somecapture.package.record import registration_notes

    own = {"facebook": ("oslokommune",)}
    assert len(registration_notes(RecordOptions(own_accounts=own))) == 2
    assert registration_notes(RecordOptions(arkivmelding="none")) == []
    only_case = registration_notes(RecordOptions(organisation="Oslo kommune", own_accounts=own))
    assert len(only_case) == 1 and "saksmappe" in only_case[0]
    assert registration_notes(RecordOptions(organisation="Oslo kommune", case="2024/123",
                                            own_accounts=own)) == []
    # without own accounts the agency itself is screened: said before the capture
    no_own = registration_notes(RecordOptions(organisation="Oslo kommune", case="2024/123"))
    assert len(no_own) == 1 and "[own_accounts]" in no_own[0]
    assert registration_notes(RecordOptions(organisation="Oslo kommune", case="2024/123",
                                            screened_variant=False)) == []


@pytest.mark.browser
def test_capture_json_and_exit_codes(site: object, tmp_path: Path) -> None:
    from tests.fixtures.site.server import FixtureSite

    assert isinstance(site, FixtureSite)
    ok_url = site.url("/gzip/page")
    bad_url = site.url("/status/404")
    proc = _run("capture", ok_url, bad_url, "--out", str(tmp_path), "--json",
                "--allow-private-network")
    assert proc.returncode == ExitStatus.FAILED, proc.stderr
    data = json.loads(proc.stdout)
    results = {r["url"]: r for r in data["results"]}
    assert results[ok_url]["status"] == "complete"
    assert Path(results[ok_url]["package"]).is_dir()
    assert results[bad_url]["status"] == "failed"
    assert results[bad_url]["package"] is None and "404" in results[bad_url]["error"]
    for r in data["results"]:
        assert set(r) >= {"url", "status", "package", "warnings", "error"}
    proc = _run("capture", ok_url, "--out", str(tmp_path), "--allow-private-network")
    assert proc.returncode == ExitStatus.OK
    printed = Path(proc.stdout.strip())
    assert printed.is_dir() and printed.parent == tmp_path


def test_engine_does_not_import_qt_or_cli() -> None:
    # (argparse itself is imported by bagit-python, so only our own shells are checked)
    code = (
        "import sys, somecapture, somecapture.engine.capture, somecapture.package.builder, "
        "somecapture.package.verify, somecapture.pipeline, somecapture.batch; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'somecapture.cli', "
        "'somecapture.gui'))]; print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_closed_pipe_is_not_a_bug(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`somecapture … | head -1`: the reader goes away mid-output; no "This is a bug", no
    traceback, the shell's code for a closed pipe."""
    import io
    import sys

    from somecapture.cli.main import main

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["config"]) == 141
    assert "bug" not in capsys.readouterr().err
