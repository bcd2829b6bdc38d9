"""The screenshot preview: a 40,000 px page loads off the GUI thread; zoom works."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from somecapture.gui.widgets.screenshot_view import ScreenshotView


@pytest.fixture(scope="module")
def tall_png(tmp_path_factory) -> Path:
    from PIL import Image, ImageDraw

    path = tmp_path_factory.mktemp("shots") / "tall.png"
    image = Image.new("RGB", (1280, 40_000), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for y in range(0, 40_000, 2000):
        draw.rectangle([0, y, 1280, y + 1000], fill=(200, 220, 240))
    image.save(path, compress_level=1)
    return path


@pytest.fixture()
def view(qtbot) -> ScreenshotView:
    v = ScreenshotView()
    qtbot.addWidget(v)
    v.resize(700, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_a_40000_px_screenshot_loads_without_freezing(qtbot, view, tall_png):
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(view.image_loaded, timeout=30_000):
        view.load(tall_png)
        assert not view.has_image()  # load() returned before decoding
    loaded = time.monotonic()
    qtbot.wait(100)
    timer.stop()
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert view.original_size().height() == 40_000
    assert view.has_image()
    # the timer kept firing while the image was decoded (a decode on the GUI thread would
    # stop it for the whole load); only the pixmap hand-over and first paint happen here
    during = [t for t in ticks if t < loaded]
    expected = (loaded - started) / 0.02
    assert len(during) >= 0.5 * expected, (len(during), expected)
    assert max(gaps) < 1.0, f"GUI blocked {max(gaps):.2f} s (load took {loaded - started:.2f})"
    assert 0.4 < view.zoom() < 0.6  # fit width: ~700 px of 1280


def test_zoom_controls(qtbot, view, tall_png):
    with qtbot.waitSignal(view.image_loaded, timeout=30_000):
        view.load(tall_png)
    assert view.fit_button.isChecked()
    qtbot.mouseClick(view.actual_button, Qt.MouseButton.LeftButton)
    assert view.zoom() == 1.0 and not view.fit_button.isChecked()
    assert view.zoom_label.text() == "Size: 100 %"
    # the button is a word: next to "Size: 39 %", a "100 %" button read as a second figure
    assert "%" not in view.actual_button.text()
    qtbot.mouseClick(view.in_button, Qt.MouseButton.LeftButton)
    assert view.zoom() == 1.25
    qtbot.mouseClick(view.out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.out_button, Qt.MouseButton.LeftButton)
    assert view.zoom() == 0.9
    wheel = QWheelEvent(QPointF(50, 50), QPointF(50, 50), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.view.viewport(), wheel)
    assert view.zoom() == 1.0
    view.fit_width()
    assert view.fit_button.isChecked() and view.zoom() < 0.6
    assert view.size_label.text() == "1,280 × 40,000 px"


def test_huge_images_are_scaled_for_the_preview(qtbot, view, tall_png):
    with qtbot.waitSignal(view.image_loaded, timeout=30_000):
        view.load(tall_png, max_pixels=1280 * 10_000)
    assert view.original_size().height() == 40_000
    assert view.preview_size().height() == pytest.approx(20_000, rel=0.01)
    view.set_zoom(1.0)  # zoom is about the real size, whatever the preview's size
    assert view.view.transform().m11() == pytest.approx(2.0, rel=0.01)


def test_an_unreadable_file_is_explained(qtbot, view, tmp_path):
    bad = tmp_path / "screenshot.png"
    bad.write_bytes(b"not a png")
    with qtbot.waitSignal(view.image_failed, timeout=10_000):
        view.load(bad)
    assert "could not be shown" in view.placeholder.text()


def test_closing_the_preview_while_it_loads_is_quiet(qtbot, tall_png, capsys):
    # a result replaced (or the window closed) while a 40,000 px screenshot is decoded: the
    # worker finds no view to tell, and says nothing (no exception in the thread pool)
    from PySide6.QtCore import QThreadPool

    v = ScreenshotView()
    v.load(tall_png)
    v.deleteLater()
    qtbot.wait(1)
    del v
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(10)
    assert "Signal source has been deleted" not in capsys.readouterr().err
