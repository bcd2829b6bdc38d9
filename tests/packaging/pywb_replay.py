"""Replaying a WARC in pywb (an independent replay system) for tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} (pywb) is not installed: install the test extras")
    return found


@contextmanager
def pywb_serving(warc: Path, root: Path) -> Iterator[str]:
    """Index ``warc`` into a pywb collection ``somecapture`` and serve it on loopback; yields
    the base URL (replay URLs are ``<base>/somecapture/<original url>``)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([_bin("wb-manager"), "init", "somecapture"], cwd=root, check=True, env=env,
                   capture_output=True)
    subprocess.run([_bin("wb-manager"), "add", "somecapture", str(warc)], cwd=root, check=True,
                   env=env, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([_bin("wayback"), "-p", str(port), "-b", "127.0.0.1", "-t", "8"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"pywb did not start: {err[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
