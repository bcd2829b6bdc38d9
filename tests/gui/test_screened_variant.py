"""The screened variant in the app (issue 18): the result panel switches the preview between
the original screenshot and the screened PDF's, says what was screened (or why nothing was),
and opens the screened PDF; the history opens it for captures that have one.

The packages are real enough for that: a screenshot drawn with Pillow, both PDFs made by the
package's own renderer (the screened one with masks drawn into its pixels), and a metadata file
with a ``screening`` section like the builder's.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from somecapture.catalog import CatalogEntry
from somecapture.gui.i18n import install_language
from somecapture.gui.widgets.capture_view import CaptureView
from somecapture.gui.widgets.history_view import HistoryView
from somecapture.gui.widgets.screenshot_view import ScreenshotView, pdf_screenshot_image
from somecapture.package.layout import SCREENED_PDF_NAME
from somecapture.package.pdf import CaptureSheet, ThreadTextEntry, render_capture_pdf
from tests.gui.conftest import make_package, make_result

WIDTH, HEIGHT = 1280, 2600  # two screenshot pages in the PDF: the preview stacks them
NAME_RED = (200, 30, 30)
# two "names" of private persons, one on each screenshot page of the PDF; the masks cover them
NAMES = [(60, 120, 300, 30), (60, 2300, 300, 30)]
# a spot inside each mask, away from the pseudonym written in its middle
SPOTS = [(x + 4, y + 4) for x, y, _w, _h in NAMES]
SCREENING = {
    "file": SCREENED_PDF_NAME, "private_persons": 2, "pseudonyms": "Innbygger 1–2",
    "screen_text": False, "masks": {"avatar": 2, "name": 2}, "masked_in_text": {"handle": 1},
    "problems": [], "read_back": "pdftotext (poppler)",
    "cannot_catch": "Tekst i bilder og video blir ikke lest og kan ikke skjermes.",
}


def _sheet(**changes: Any) -> CaptureSheet:
    values: dict[str, Any] = {
        "title": "Mastodon: Etaten – Veien stenger", "url": "https://x.example/1",
        "captured_at": datetime(2026, 12, 7, 9, 0, tzinfo=UTC), "archivist": "Arkivar",
        "capture_id": "c-1", "tool_name": "somecapture", "tool_version": "test",
        "warc_sha256": "a" * 64, "status": "complete"}
    values.update(changes)
    return CaptureSheet(**values)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A package with the original and the screened PDF (made once, copied per test)."""
    from PIL import Image, ImageDraw

    package = tmp_path_factory.mktemp("built") / "20261207T090000Z-x-example-1"
    data = package / "data"
    data.mkdir(parents=True)
    image = Image.new("RGB", (WIDTH, HEIGHT), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for y in range(60, HEIGHT - 60, 90):  # reply texts
        draw.rectangle((60, y + 40, 900, y + 52), fill=(60, 60, 60))
    for x, y, w, h in NAMES:
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=NAME_RED)
    image.save(data / "screenshot.png")
    entries = [ThreadTextEntry(author="Etaten", text="Veien stenger i morgen."),
               ThreadTextEntry(author="Innbygger 1", text="Hvorfor?", depth=1)]
    render_capture_pdf(data / "screenshot.png", _sheet(), entries, data / "screenshot.pdf")
    masks = [(x, y, w, h, f"Innbygger {n}") for n, (x, y, w, h) in enumerate(NAMES, 1)]
    render_capture_pdf(data / "screenshot.png", _sheet(screening="2 privatpersoner"), entries,
                       data / SCREENED_PDF_NAME, masks=masks)
    (data / "capture-metadata.json").write_text(json.dumps({"screening": SCREENING}),
                                                encoding="utf-8")
    (package / "bagit.txt").write_text("BagIt-Version: 1.0\n")
    return package


@pytest.fixture()
def package(built, tmp_path) -> Path:
    return Path(shutil.copytree(built, tmp_path / built.name))


def _without_screened_pdf(package: Path, problems: list[str]) -> Path:
    """The package as the builder leaves it when the variant could not be made."""
    shutil.rmtree(package / "data" / "screened")
    (package / "data" / "capture-metadata.json").write_text(json.dumps(
        {"screening": {**SCREENING, "file": None, "problems": problems}}), encoding="utf-8")
    return package


@pytest.fixture()
def view(qtbot, fake_bridge, app_settings) -> CaptureView:
    v = CaptureView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.resize(1280, 820)
    v.show()
    qtbot.waitExposed(v)
    return v


def _shown(view: CaptureView) -> QImage:
    return view.screenshot.item.pixmap().toImage()


def _rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    c = image.pixelColor(x, y)
    return (c.red(), c.green(), c.blue())


# -- the screenshot out of the PDF ------------------------------------------------------------
def test_the_pdfs_screenshot_is_the_screenshot_pixel_for_pixel(package):
    image, original = pdf_screenshot_image(package / "data" / "screenshot.pdf")
    png = QImage(str(package / "data" / "screenshot.png")).convertToFormat(
        QImage.Format.Format_RGB32)
    assert (original.width(), original.height()) == (WIDTH, HEIGHT)
    # both screenshot pages, stacked without a gap or an overlap
    assert image == png


def test_the_screened_pdfs_screenshot_has_the_masks_in_its_pixels(package):
    image, _ = pdf_screenshot_image(package / "data" / SCREENED_PDF_NAME)
    for x, y in SPOTS:
        assert _rgb(image, x, y) != NAME_RED
        assert QColor(image.pixelColor(x, y)).lightness() < 80  # an opaque dark box
    # the rest of the page is the original's
    assert _rgb(image, 1000, 100) == (250, 250, 250)


def test_a_huge_pdf_screenshot_is_scaled_for_the_preview(package):
    image, original = pdf_screenshot_image(package / "data" / "screenshot.pdf",
                                           max_pixels=WIDTH * HEIGHT // 4)
    assert (original.width(), original.height()) == (WIDTH, HEIGHT)
    assert image.width() == WIDTH // 2 and abs(image.height() - HEIGHT // 2) <= 1


def test_a_pdf_without_screenshot_pages_is_refused(tmp_path):
    from PIL import Image

    Image.new("RGB", (100, 100), "white").save(tmp_path / "s.png")
    render_capture_pdf(tmp_path / "s.png", _sheet(), [], tmp_path / "s.pdf")
    with pikepdf.open(tmp_path / "s.pdf", allow_overwriting_input=True) as pdf:
        del pdf.pages[1]  # only the capture sheet and the appendix are left
        pdf.save(tmp_path / "s.pdf")
    with pytest.raises(ValueError, match="no screenshot pages"):
        pdf_screenshot_image(tmp_path / "s.pdf")


# -- the result panel -------------------------------------------------------------------------
def test_the_switch_shows_the_screened_screenshot_and_back(qtbot, view, package):
    panel, shot = view.result_panel, view.screenshot
    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        view.show_result(make_result(package))
    assert panel.screened_box.isVisible() and panel.switch_row.isVisible()
    assert panel.original_button.isChecked() and shot.variant == "original"
    assert not shot.banner.isVisible()
    for x, y in SPOTS:
        assert _rgb(_shown(view), x, y) == NAME_RED

    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        qtbot.mouseClick(panel.screened_button, Qt.MouseButton.LeftButton)
    assert panel.screened_button.isChecked() and shot.variant == "screened"
    assert shot.path == package / "data" / SCREENED_PDF_NAME
    assert shot.banner.isVisible() and "screened" in shot.banner.text().lower()
    assert (shot.original_size().width(), shot.original_size().height()) == (WIDTH, HEIGHT)
    for x, y in SPOTS:
        assert _rgb(_shown(view), x, y) != NAME_RED
    assert _rgb(_shown(view), 1000, 100) == (250, 250, 250)

    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        qtbot.mouseClick(panel.original_button, Qt.MouseButton.LeftButton)
    assert shot.variant == "original" and not shot.banner.isVisible()
    assert _rgb(_shown(view), *SPOTS[1]) == NAME_RED


def test_switching_keeps_the_place_in_the_screenshot(qtbot, view, package):
    shot = view.screenshot
    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        view.show_result(make_result(package))
    shot.set_zoom(1.0)  # taller than the view: there is a place to keep
    bar = shot.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    assert before > 0
    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        view.result_panel.show_variant("screened")
    assert abs(bar.value() - before) <= 2
    assert shot.zoom() == 1.0
    # a new result starts at the top of the original
    with qtbot.waitSignal(shot.image_loaded, timeout=10_000):
        view.show_result(make_result(package))
    assert bar.value() == 0 and view.result_panel.variant == "original"


def test_the_facts_line_and_the_open_button(qtbot, view, package, opened):
    panel = view.result_panel
    view.show_result(make_result(package))
    facts = panel.screening_facts.text()
    assert facts == ("2 private person(s) screened (Innbygger 1–2) · 4 mask(s) · "
                     "1 replaced in the text")
    # the package's kinds (avatar, name) as the catalogue names them, in the app's language
    from somecapture.messages import Msg, render

    kinds = [render(Msg("screen.kind", kind=k), "en", "app") for k in ("avatar", "name")]
    assert f"{kinds[0]} 2, {kinds[1]} 2" in panel.screening_facts.toolTip()
    assert "pdftotext" in panel.screening_facts.toolTip()
    assert panel.screening_limits.text() == render(Msg("screen.cannot_catch"), "en", "app")
    assert not panel.screening_warning.isVisible()
    qtbot.mouseClick(panel.open_screened_button, Qt.MouseButton.LeftButton)
    assert opened == [str(package / "data" / SCREENED_PDF_NAME)]


def test_the_facts_in_bokmal(qtbot, view, package):
    view.show_result(make_result(package))
    install_language("nb")
    panel = view.result_panel
    assert panel.screening_facts.text() == ("2 privatpersoner skjermet (Innbygger 1–2) · "
                                            "4 masker · 1 erstattet i teksten")
    assert panel.screened_box.title() == "Skjermet versjon for innsyn"
    assert (panel.original_button.text(), panel.screened_button.text()) == (
        "Original", "Skjermet versjon")
    assert panel.open_screened_button.text() == "Åpne skjermet PDF"
    # one person: the singular
    (package / "data" / "capture-metadata.json").write_text(json.dumps({"screening": {
        **SCREENING, "private_persons": 1, "pseudonyms": "Innbygger 1–1", "masks": {"name": 1},
        "masked_in_text": {}, "screen_text": True}}), encoding="utf-8")
    view.show_result(make_result(package))
    assert panel.screening_facts.text() == ("1 privatperson skjermet (Innbygger 1–1) · 1 maske"
                                            " · innbyggernes tekster er også skjermet")


def test_no_screened_version_is_a_clear_warning(qtbot, view, package):
    _without_screened_pdf(package, ["the page could not be searched for the persons' places"])
    install_language("nb")
    view.show_result(make_result(package))
    panel = view.result_panel
    assert panel.screened_box.isVisible()
    assert not panel.switch_row.isVisible() and not panel.open_screened_button.isVisible()
    assert panel.screening_warning.isVisible()
    assert panel.screening_warning.text() == (
        "Ingen skjermet versjon: the page could not be searched for the persons' places; "
        "skjerm PDF-en manuelt før utlevering.")
    assert not panel.screening_facts.isVisible()
    # the switch cannot be forced to a file that is not there
    panel.show_variant("screened")
    assert panel.variant == "original" and view.screenshot.variant == "original"


def test_a_screened_file_named_but_missing_is_a_warning_too(qtbot, view, package):
    (package / "data" / SCREENED_PDF_NAME).unlink()
    view.show_result(make_result(package))
    panel = view.result_panel
    assert panel.screening_warning.isVisible()
    assert "the package holds no screened PDF" in panel.screening_warning.text()
    assert "screen the PDF by hand" in panel.screening_warning.text()


def test_a_package_without_screening_shows_no_switch(qtbot, view, tmp_path):
    view.show_result(make_result(make_package(tmp_path)))
    assert not view.result_panel.screened_box.isVisible()
    view.show_result(make_result(None, "failed", error="boom"))
    assert not view.result_panel.screened_box.isVisible()


def test_a_screened_pdf_that_cannot_be_read_is_explained(qtbot, view, package):
    (package / "data" / SCREENED_PDF_NAME).write_bytes(b"%PDF-1.7\nnot really\n")
    with qtbot.waitSignal(view.screenshot.image_loaded, timeout=10_000):
        view.show_result(make_result(package))
    with qtbot.waitSignal(view.screenshot.image_failed, timeout=10_000):
        view.result_panel.show_variant("screened")
    assert "cannot be shown here" in view.screenshot.placeholder.text()
    assert "Open the screened PDF" in view.screenshot.placeholder.text()


def test_the_screened_preview_survives_a_language_switch(qtbot, view, package):
    with qtbot.waitSignal(view.screenshot.image_loaded, timeout=10_000):
        view.show_result(make_result(package))
    with qtbot.waitSignal(view.screenshot.image_loaded, timeout=10_000):
        view.result_panel.show_variant("screened")
    install_language("nb")
    assert view.result_panel.screened_button.isChecked()
    assert view.screenshot.banner.text().startswith("Skjermet versjon")
    assert view.screenshot.variant == "screened"


def test_the_screenshot_view_alone(qtbot, package):
    v = ScreenshotView()
    qtbot.addWidget(v)
    v.resize(600, 500)
    v.show()
    with qtbot.waitSignal(v.image_loaded, timeout=10_000):
        v.load_screened(package / "data" / SCREENED_PDF_NAME)
    assert v.has_image() and v.banner.isVisible()
    v.clear()
    assert not v.banner.isVisible() and v.variant == "original"


# -- the history ------------------------------------------------------------------------------
def _entry(n: int, package: Path | None) -> CatalogEntry:
    return CatalogEntry(
        capture_id=f"c-{n}", url=f"https://x.example/{n}", final_url=None, platform="Mastodon",
        author="Etaten", handle="@etaten", title=f"Innlegg {n}", case_ref=None,
        archivist="Kari", status="complete", captured_at=f"2026-12-0{n}T10:00:00.000Z",
        post_date=None, package_path=str(package) if package else None, warc_sha256=None,
        warnings=[], error=None, batch_id=None)


@pytest.fixture()
def history(qtbot, fake_bridge, app_settings, package, tmp_path) -> HistoryView:
    plain = make_package(tmp_path, "plain")
    entries = [_entry(1, package), _entry(2, plain), _entry(3, None)]
    fake_bridge.auto["catalog"] = lambda job: entries
    v = HistoryView(fake_bridge, app_settings)
    qtbot.addWidget(v)
    v.show()
    v.refresh()
    qtbot.waitUntil(lambda: v.model.rowCount() == 3)
    return v


def _select(view: HistoryView, capture_id: str) -> None:
    view._select(capture_id)
    assert view.selected_entry().capture_id == capture_id


def test_history_opens_the_screened_version_only_where_there_is_one(history, package, opened,
                                                                    qtbot):
    _select(history, "c-2")  # a package without the screened variant
    assert history.pdf_button.isEnabled() and not history.screened_button.isEnabled()
    _select(history, "c-3")  # nothing published
    assert not history.screened_button.isEnabled()
    _select(history, "c-1")
    assert history.screened_button.isEnabled()
    qtbot.mouseClick(history.screened_button, Qt.MouseButton.LeftButton)
    assert opened == [str(package / "data" / SCREENED_PDF_NAME)]


def test_history_context_menu_has_the_same_actions(history, package, opened):
    _select(history, "c-1")
    menu = history.context_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == [b.text() for b in history._action_buttons()]
    screened = actions[history.screened_button.text()]
    assert screened.isEnabled()
    screened.trigger()
    assert opened == [str(package / "data" / SCREENED_PDF_NAME)]
    # the file went away since the row was selected: the menu says so
    (package / "data" / SCREENED_PDF_NAME).unlink()
    menu = history.context_menu()
    assert not {a.text(): a for a in menu.actions()}[history.screened_button.text()].isEnabled()


def test_history_action_in_bokmal(history):
    install_language("nb")
    assert history.screened_button.text() == "Åpne skj&ermet versjon"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_preview_that_cannot_be_shown_says_why_in_the_apps_language(
        qtbot, view, package, language):
    """A damaged screened PDF and a damaged screenshot: why they cannot be shown is in the
    app's language (the reader's own words quoted), also Qt's image reader's in bokmål."""
    from somecapture.gui.i18n import install_language
    from tests.english import english_in

    (package / "data" / SCREENED_PDF_NAME).write_bytes(b"%PDF-1.7\nnot really\n")
    install_language(language)
    try:
        with qtbot.waitSignal(view.screenshot.image_loaded, timeout=10_000):
            view.show_result(make_result(package))
        with qtbot.waitSignal(view.screenshot.image_failed, timeout=10_000):
            view.result_panel.show_variant("screened")
        pdf_text = view.screenshot.placeholder.text()
        (package / "data" / "screenshot.png").write_bytes(b"not a png")
        with qtbot.waitSignal(view.screenshot.image_failed, timeout=10_000):
            view.screenshot.load(package / "data" / "screenshot.png")
        png_text = view.screenshot.placeholder.text()
        for text in (pdf_text, png_text):
            assert english_in(text) == [], text
        assert "«" in pdf_text  # pikepdf's words, quoted
    finally:
        install_language("en")
