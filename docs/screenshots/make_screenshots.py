"""Take the README's screenshots of the desktop app, with real data, under Xvfb.

    .venv/bin/python docs/screenshots/make_screenshots.py [--out docs/screenshots]
    .venv/bin/python docs/screenshots/make_screenshots.py --language nn   # the app in nynorsk

The English run saves capture-en.png, capture-nb.png and the other views at 1360 × 860; a run
with ``--language nb`` or ``nn`` saves the views in that language at 1280 × 820 (a common
laptop window), named ``*-nn.png`` (or ``*-nb.png``): capture, result, capture-progress,
batch-preview, batch-running, batch-done, history, profiles, settings, and Qt's file dialog
(file-dialog).

Starts Xvfb when there is no display, the fixture site on 127.0.0.1, and the real app
(EngineBridge, Chromium) in a temporary home, so nothing of yours is touched. Everything shown
is real: captures of fixture pages made through the app, a batch list run by the app, the
catalogue those captures wrote, login profiles made by ``somecapture.engine.login.login``.
Needs Xvfb (``apt-get install xvfb``) when no display is available.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 1360, 860
# the Norwegian runs: the size the layout must fit (issue 22)
SMALL = (1280, 820)


def start_xvfb() -> subprocess.Popen[bytes] | None:
    """An Xvfb display for Qt's xcb platform (None when a display exists already)."""
    if os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return None
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        raise SystemExit("Xvfb is needed: apt-get install xvfb")
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists():
            break
    proc = subprocess.Popen([xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten",
                             "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


def isolate_home() -> Path:
    """A temporary home: catalogue, config, profiles and packages go there."""
    home = Path(tempfile.mkdtemp(prefix="somecapture-shots-"))
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_DOCUMENTS_DIR", "Documents")):
        os.environ[var] = str(home / sub)
    return home


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=("en", "nb", "nn"), default="en",
                        help="the app's language (nb, nn: every view at 1280 x 820)")
    parser.add_argument("--in-display", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not args.in_display:
        if args.language != "en":
            # a Norwegian computer: Qt's file dialog writes sizes and dates in the system's
            # language, not the app's
            os.environ["LANG"] = os.environ["LC_ALL"] = f"{args.language}_NO.UTF-8"
        # the app runs in a child process, so Xvfb is stopped even if Qt aborts the app
        xvfb = start_xvfb()
        try:
            return subprocess.run([sys.executable, __file__, "--out", str(out),
                                   "--language", args.language, "--in-display"]).returncode
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait(5)
    home = isolate_home()
    try:
        return Shooter(out, home, args.language).run()
    finally:
        shutil.rmtree(home, ignore_errors=True)


class Shooter:
    """Drives the app like a user and saves what it shows."""

    def __init__(self, out: Path, home: Path, language: str = "en") -> None:
        self.out = out
        self.home = home
        self.language = language
        # the English run keeps its names; a Norwegian one ends each with its language
        self.suffix = "" if language == "en" else f"-{language}"
        self.size = (WIDTH, HEIGHT) if language == "en" else SMALL

    # -- helpers --------------------------------------------------------------------------
    def wait(self, condition: Callable[[], bool], timeout_s: float = 180,
             what: str = "") -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what or condition}")
            self.app.processEvents()
            time.sleep(0.02)

    def settle(self, seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.02)

    def shoot(self, name: str) -> None:
        self.settle()
        path = self.out / f"{name}{self.suffix}.png"
        self.window.grab().save(str(path))
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    def capture(self, url: str, *, site: str | None = None, case: str = "", title: str = "",
                arkivnotat: bool = False, on_progress: Callable[[], None] | None = None
                ) -> None:
        view = self.window.capture_view
        self.window.show_view("capture")
        if site:
            self.settings.extra_options["site"] = site
        else:
            self.settings.extra_options.pop("site", None)
        view.title_edit.setText(title)
        view.case_edit.setText(case)
        (view.arkivnotat_radio if arkivnotat else view.journalpost_radio).setChecked(True)
        view.url_edit.setText(url)
        view.start_capture()
        if on_progress is not None:
            on_progress()
        self.wait(lambda: not view.is_capturing(), what=f"capture of {url}")
        self.settings.extra_options.pop("site", None)
        if view.result_panel.package() is not None:
            self.wait(view.screenshot.has_image, 30, "screenshot preview")

    # -- the run --------------------------------------------------------------------------
    def run(self) -> int:
        from PySide6.QtCore import QSettings

        from somecapture.config import AgencyConfig
        from somecapture.gui.app import create_application
        from somecapture.gui.bridge import EngineBridge
        from somecapture.gui.i18n import install_language
        from somecapture.gui.main_window import MainWindow
        from somecapture.gui.settings import AppSettings
        from tests.fixtures.site.server import FixtureSite

        self.app = create_application(["somecapture"])
        install_language(self.language)
        with FixtureSite() as site:
            self.site = site
            self.make_profiles()
            self.settings = AppSettings(
                QSettings(str(self.home / "ui.ini"), QSettings.Format.IniFormat),
                extra_options={"allow_private_network": True, "settle_timeout_s": 5.0,
                               "network_idle_ms": 400, "expand_timeout_s": 30.0})
            self.settings.save_agency(AgencyConfig(
                organisation="Oslo kommune", organisation_number="958935420",
                arkivdel="Sosiale medier", archivist="Kari Nordmann",
                own_accounts={"facebook": ("oslokommune",), "x": ("@oslokommune",)},
                # a nynorsk agency writes its packages in nynorsk too
                maalform="nn" if self.language == "nn" else None))
            bridge = EngineBridge()
            self.window = MainWindow(bridge, self.settings)
            self.window.resize(*self.size)
            self.window.show()
            self.wait(lambda: self.window.isVisible(), 10)
            try:
                self.shoot_captures()
                self.shoot_batch()
                self.shoot_history()
                self.shoot_profiles()
                self.shoot_settings()
                if self.language != "en":
                    self.shoot_file_dialog()
            finally:
                self.window.close()
                bridge.shutdown()
        return 0

    def make_profiles(self) -> None:
        """Two login profiles, made the way ``somecapture login`` makes them (scripted)."""
        import asyncio

        from somecapture.engine.login import login
        from somecapture.options import CaptureOptions

        async def close(page: object) -> None:
            await page.context.close()  # type: ignore[attr-defined]

        for name, path in (("facebook-oslokommune", "/p/facebook/login"),
                           ("x-kystverket", "/p/x/login")):
            asyncio.run(login(name, self.site.url(path), CaptureOptions(), headless=True,
                              on_ready=close))

    def shoot_captures(self) -> None:
        from somecapture.gui.i18n import install_language

        site = self.site
        # a few real captures, so the history has something to show
        self.capture(site.url("/p/facebook/oslokommune/posts/pfbid02Q8zK4mYtVnRw1Bx7cHsLpJ3d"
                              "EfGhUaN5oTqWvXyZ9s6kbrD3Mjl"), site="facebook", case="2024/1187")
        self.capture(site.url("/p/x/kystverket/status/1899000000000000001?guest=1"), site="x",
                     case="2024/1190")
        self.capture(site.url("/status/404"), case="2024/1190")

        view = self.window.capture_view

        def mid_capture() -> None:
            self.wait(lambda: any("replies" in s or "svar" in s
                                  for s in view.progress.steps_text()), 60, "thread expansion")
            self.settle(1.2)
            self.shoot("capture-progress")

        if self.language != "en":
            # the view an archivist opens the app to: the address pasted, nothing run yet
            self.window.show_view("capture")
            view.status_stack.setCurrentWidget(view.welcome)
            view.screenshot.clear()
            view.url_edit.setText(site.url("/post/1"))
            view.url_edit.deselect()
            self.shoot("capture")
        self.capture(site.url("/post/1"), case="2024/1187", on_progress=mid_capture)
        view.url_edit.deselect()
        if self.language != "en":
            self.shoot("result")
            return
        self.shoot("capture-en")
        install_language("nb")
        self.shoot("capture-nb")
        install_language("en")

    def shoot_batch(self) -> None:
        site = self.site
        listing = self.home / "innlegg-uke-47.csv"
        listing.write_text(
            "url;title;case\n"
            f"{site.url('/post/1?noconsent=1')};Nytt bibliotek på Tøyen;2024/1187\n"
            f"{site.url('/p/reddit/r/norge/comments/1gq7xk2/vi_er_skatteetaten_spor_oss_om_skattemeldingen/')};Skatteetaten svarer;2024/1201\n"  # noqa: E501
            f"{site.url('/p/youtube/watch?v=Xy7dQ2nB4aE')};Video fra bystyret;2024/1202\n"
            "www.facebook.com/oslokommune/posts/123 (se sak);Feil i lista;2024/1203\n"
            f"{site.url('/status/404')};Slettet innlegg;2024/1204\n"
            f"{site.url('/post/1?noconsent=1')};Nytt bibliotek (dublett);2024/1187\n",
            encoding="utf-8")
        view = self.window.batch_view
        self.window.show_view("batch")
        view.load_list(listing)
        self.wait(lambda: view.parsed is not None and view.unfinished_job is None, 30,
                  "the list")
        self.shoot("batch-preview")
        view.skip_check.setChecked(True)
        view.concurrency_spin.setValue(2)
        view.start()
        self.wait(lambda: (view._last_progress is not None and view._last_progress.done >= 1
                           and any(r.status == "running" for r in view.model.rows)),
                  180, "batch progress")
        self.settle(0.5)
        self.shoot("batch-running")
        self.wait(lambda: not view.is_running(), 300, "the batch")
        failed = next(i for i, r in enumerate(view.model.rows) if r.status == "failed")
        view.table.selectRow(failed)  # its error shows under the table
        self.shoot("batch-done")

    def shoot_history(self) -> None:
        view = self.window.history_view
        self.window.show_view("history")
        view.refresh()
        self.wait(lambda: view.query_job is None and view.model.rowCount() >= 5, 30,
                  "the catalogue")
        row = next(i for i, e in enumerate(view.model.entries)
                   if (e.platform or "").lower() == "facebook")
        view.table.selectRow(view.proxy.mapFromSource(view.model.index(row, 0)).row())
        view.verify()
        self.wait(lambda: not view.verify_jobs, 60, "verification")
        self.shoot("history")

    def shoot_profiles(self) -> None:
        view = self.window.profiles_view
        self.window.show_view("profiles")
        view.refresh()
        self.wait(lambda: view.table.rowCount() == 2, 30, "profiles")
        view.table.selectRow(0)
        self.shoot("profiles")

    def shoot_settings(self) -> None:
        view = self.window.settings_view
        self.window.show_view("settings")
        self.wait(lambda: view.detect_job is None and view._detected is not None, 60,
                  "browser detection")
        self.shoot("settings")

    def shoot_file_dialog(self) -> None:
        """Qt's own file dialog, as the Batch view opens it ("Choose list file…"): its labels
        ("Look in", "Files of type") and buttons come from Qt's translations."""
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QFileDialog

        listing = self.home / "innlegg-uke-47.csv"
        dialog = QFileDialog(
            self.window, QCoreApplication.translate("BatchView", "Choose a list file"),
            str(listing.parent),
            QCoreApplication.translate("BatchView", "List files (*.txt *.csv *.tsv *.list);;"
                                                    "All files (*)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.resize(900, 540)
        dialog.show()
        dialog.selectFile(str(listing))
        self.settle(0.8)
        path = self.out / f"file-dialog{self.suffix}.png"
        dialog.grab().save(str(path))
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        dialog.close()


if __name__ == "__main__":
    sys.exit(main())
