"""`somecapture verify` on a folder that is no package at all is a usage error (exit 2, before
any check); a package with files missing is a damaged package (exit 5, its problems named)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from somecapture.cli.status import ExitStatus
from somecapture.messages import Msg, render


def _verify(*paths: Path, home: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state"), "XDG_DATA_HOME": str(home / "data"),
           "LC_ALL": lang, "LANG": lang}
    return subprocess.run([sys.executable, "-m", "somecapture", "verify", *map(str, paths)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_folder_that_is_no_package_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder" / "bilde.png").write_bytes(b"\x89PNG")
    proc = _verify(empty, tmp_path / "bilder", home=tmp_path, lang="nn_NO.UTF-8")
    assert proc.returncode == ExitStatus.USAGE, proc
    for folder in (empty, tmp_path / "bilder"):
        assert render(Msg("cli.verify_not_a_package", path=str(folder)), "nn", "cli") \
            in proc.stderr, proc.stderr
    assert proc.stdout == ""  # nothing was checked, no seal line


def test_a_package_missing_its_declaration_is_damaged_not_a_usage_error(tmp_path: Path
                                                                      ) -> None:
    damaged = tmp_path / "pakke"
    (damaged / "data").mkdir(parents=True)
    (damaged / "data" / "capture.warc").write_bytes(b"")
    (damaged / "manifest-sha256.txt").write_text(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/capture.warc\n",
        encoding="utf-8")
    proc = _verify(damaged, home=tmp_path, lang="C.UTF-8")
    assert proc.returncode == ExitStatus.VERIFY_FAILED, proc
    assert str(damaged) in proc.stdout
