"""GUI test fixtures: offscreen Qt (set in tests/conftest.py), a fake bridge, temp settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from somecapture.gui import dialogs  # noqa: E402
from somecapture.gui.app import create_application  # noqa: E402
from somecapture.gui.bridge import BrowserInfo  # noqa: E402
from somecapture.gui.i18n import install_language  # noqa: E402
from somecapture.gui.settings import AppSettings  # noqa: E402
from somecapture.models import CaptureResult, CaptureStatus  # noqa: E402
from tests.gui.fakes import FakeBridge  # noqa: E402


@pytest.fixture(autouse=True)
def gui_app(qapp: QApplication) -> Iterator[QApplication]:
    """The app as the real one sets it up, in English unless a test switches; dialogs left
    open by a test are closed after it."""
    create_application()
    install_language("en")
    yield qapp
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, dialogs.ErrorDialog):
            widget.close()
    install_language("en")
    # windows a test closed and gave to deleteLater are deleted now, in an event loop (none
    # runs between tests): left alive, every later language switch retranslated them, engine
    # bridge shut down and all
    QTest.qWait(1)


@pytest.fixture(autouse=True)
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files and folders the app asked the desktop to open (nothing is really opened)."""
    calls: list[str] = []

    def fake_open(url: Any) -> bool:
        calls.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return calls


@pytest.fixture()
def answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Answers to yes/no questions, in order (a question with no answer left fails)."""
    queue: list[bool] = []

    def fake_ask(parent: Any, title: str, text: str, yes: str, no: str) -> bool:
        assert queue, f"unexpected question: {title}: {text}"
        return queue.pop(0)

    monkeypatch.setattr(dialogs, "ask", fake_ask)
    return queue


@pytest.fixture()
def app_settings(tmp_path: Path) -> AppSettings:
    """Settings in temporary files: QSettings ini, config.toml, catalogue."""
    qs = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    return AppSettings(qs, config_file=tmp_path / "config" / "config.toml",
                       catalog_path=tmp_path / "catalog.sqlite")


@pytest.fixture()
def fake_bridge() -> FakeBridge:
    """A fake bridge answering the quick queries at once (no profiles, empty catalogue and
    watch list)."""
    bridge = FakeBridge()
    bridge.auto["profiles"] = lambda job: []
    bridge.auto["catalog"] = lambda job: []
    bridge.auto["watch_list"] = lambda job: []
    bridge.auto["detect_browser"] = lambda job: BrowserInfo(
        "system: /usr/bin/chromium", "140.0.0.0", "system", "/usr/bin/chromium")
    return bridge


def open_error_dialogs() -> list[dialogs.ErrorDialog]:
    """Error dialogs currently shown."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, dialogs.ErrorDialog) and w.isVisible()]


def make_package(root: Path, name: str = "20261125T120000Z-example-post-1",
                 height: int = 2400) -> Path:
    """A folder that looks like a published package (screenshot and PDF)."""
    from PIL import Image

    package = root / name
    (package / "data").mkdir(parents=True)
    image = Image.new("RGB", (1280, height), (240, 240, 240))
    image.save(package / "data" / "screenshot.png", compress_level=1)
    (package / "data" / "screenshot.pdf").write_bytes(b"%PDF-1.7\n%fake\n")
    (package / "bagit.txt").write_text("BagIt-Version: 1.0\n")
    return package


def make_result(package: Path | None, status: str = "complete", **changes: Any
                ) -> CaptureResult:
    """A capture result like the engine's for the fixture post."""
    result = CaptureResult(url="https://example.org/post/1", capture_id="c-1",
                           status=CaptureStatus(status), final_url="https://example.org/post/1",
                           package=package)
    result.completeness = {"reported": {"comments": 23}, "captured_replies": 23, "missing": []}
    result.thread = {"platform": "web", "root": {
        "author": "Oslo kommune", "handle": "@oslokommune",
        "text": "Vi åpner nytt bibliotek på Tøyen i dag! Velkommen innom."}}
    result.registration = {"title": "Web: Oslo kommune – Vi åpner nytt bibliotek",
                           "kind": "journalpost", "journalposttype": "I", "case": "2024/123",
                           "archivist": "Kari Nordmann"}
    for key, value in changes.items():
        setattr(result, key, value)
    return result
