"""The standalone build: PyInstaller builds the one-folder app from build.spec, and the built
executable (no Python needed) reports its version and captures a fixture page into a package
that independent validators accept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest

from somecapture import __version__
from tests.fixtures.site import server as fx

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1500)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        pytest.fail("pyinstaller is not installed: install the test extras")
    work = tmp_path_factory.mktemp("pyinstaller")
    t0 = time.monotonic()
    proc = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath",
         str(work / "dist"), "--workpath", str(work / "build"), "build.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-4000:]
    app = work / "dist" / "somecapture"
    size = sum(f.stat().st_size for f in app.rglob("*") if f.is_file())
    print(f"\nPyInstaller build: {time.monotonic() - t0:.0f} s, bundle {size / 2**20:.0f} MiB")
    yield app


def _env() -> dict[str, str]:
    # the built app must not lean on this checkout's Python: no PYTHONPATH, no venv
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"
    return env


def test_built_cli_reports_version(frozen: Path) -> None:
    exe = frozen / "somecapture"
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=_env(),
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"somecapture {__version__}"
    assert (frozen / "_internal" / "resources" / "schemas" / "eformidling-arkivmelding"
            / "arkivmelding.xsd").is_file()


def test_built_cli_captures_and_verifies(frozen: Path, tmp_path: Path) -> None:
    exe = frozen / "somecapture"
    with fx.FixtureSite() as site:
        proc = subprocess.run(
            [str(exe), "capture", site.url("/post/1"), "--out", str(tmp_path / "out"),
             "--allow-private-network", "--json", "--browser", shutil.which("chromium") or ""],
            capture_output=True, text=True, env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)["results"][0]
    assert result["status"] == "complete"
    package = Path(result["package"])
    bagit.Bag(str(package)).validate()
    check = subprocess.run([str(exe), "verify", str(package)], capture_output=True, text=True,
                           env=_env(), timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
    assert len(meta["thread"]["replies"]) == fx.COMMENT_COUNT


def test_built_gui_starts(frozen: Path, tmp_path: Path) -> None:
    """The windowed executable starts and keeps running (offscreen): a missing Qt module or
    plugin in the bundle would end it at once."""
    exe = frozen / "somecapture-gui"
    assert exe.exists(), "build.spec made no somecapture-gui"
    env = {**_env(), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(8)
        assert proc.poll() is None, f"somecapture-gui exited: {proc.communicate()[1][-3000:]}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
