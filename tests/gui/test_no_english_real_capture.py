"""What a real capture sends the app and the command line reads in bokmål and in nynorsk.

tests/gui/test_no_english.py puts the app in the states an archivist sees with events and
results made by hand. Here the engine makes them: real captures of the fixture site (127.0.0.1
only) with a real browser, each chosen for what it makes the engine say: logged in with a
profile (its note, the logged-out public view), a page whose fetched file is cut off mid-body
(the warning naming the lost body and why), a page that starts downloads (refused, each
noted), and a thread with persons (the search for them on the screenshot). Their events,
results and catalogue entries are fed, as they came, to the app's capture view and history
(through the fake bridge, so every intermediate note is read, not only the last) and to the
command line's console. No text may hold English, and in nynorsk no bokmål word either.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from somecapture.catalog import Catalog
from somecapture.cli.console import Console
from somecapture.events import CaptureMessage, Event, StepFinished
from somecapture.gui.i18n import install_language
from somecapture.gui.main_window import MainWindow
from somecapture.messages import Msg, render
from somecapture.models import STEP_NAMES, CaptureResult
from somecapture.pipeline import capture_url
from tests.conftest import fast_options
from tests.engine.test_logged_in import make_profile
from tests.english import english_in, plain
from tests.fixtures.site.server import FixtureSite
from tests.gui.test_no_english import (
    _english_sources,
    shown_window,
    untranslated,
    widget_texts,
)
from tests.norwegian import bokmal_in

pytestmark = pytest.mark.browser

PROFILE = "no-english-members"


@dataclass
class Captured:
    """One real capture: the events as the listener got them, and the result."""

    url: str
    events: list[Event] = field(default_factory=list)
    result: CaptureResult | None = None

    def codes(self) -> set[str]:
        """The catalogue codes of its notes, step results and warnings."""
        said = [e.text for e in self.events if isinstance(e, CaptureMessage)]
        said += [e.message for e in self.events if isinstance(e, StepFinished)]
        said += list(self.result.warnings if self.result else [])
        return {m.code for m in said if isinstance(m, Msg)}


@pytest.fixture(scope="module")
def captured(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[list[Captured], Path]:
    root = tmp_path_factory.mktemp("real-captures")
    catalog = root / "catalog.sqlite"
    make_profile(PROFILE, site)
    runs = [
        (Captured(site.url("/members/post/1")), {"profile": PROFILE}),
        (Captured(site.url("/fault/page-with?src=/fault/reset-mid-body%3Fkind%3Djson")), {}),
        (Captured(site.url("/fault/download")), {}),
        (Captured(site.url("/post/1?noconsent=1")), {}),
    ]
    for run, changes in runs:
        options = fast_options(root / "out", catalog_path=catalog, **changes)
        run.result = asyncio.run(capture_url(run.url, options, run.events.append))
    captures = [run for run, _changes in runs]
    # each says what it was chosen for (else the scan below would read nothing new)
    logged_in, cut, downloads, thread = (c.codes() for c in captures)
    assert {"note.logged_in", "step.result.logged_in"} <= logged_in, logged_in
    assert {"warning.bodies_lost", "note.requests_failed"} <= cut, cut
    assert "note.download_refused" in downloads, downloads
    assert {"step.result.recording", "step.result.persons.found"} <= thread, thread
    return captures, catalog


def _page_words(captures: list[Captured], catalog: Path) -> list[str]:
    """What the pages themselves say (titles, authors, posts: the fixture site writes
    bokmål), which the views show as it is."""
    words: list[str] = []
    for c in captures:
        r = c.result
        assert r is not None
        words += [str(r.registration.get("title") or "")]
        thread = r.thread or {}
        for post in [thread.get("root") or {}, *(thread.get("replies") or [])]:
            words += [str(post.get(k) or "") for k in ("text", "author", "handle", "title")]
    for entry in Catalog(catalog).entries():
        words += [str(v or "") for v in (entry.title, entry.author, entry.handle)]
    return sorted({w for w in words if w.strip()}, key=len, reverse=True)


def _without(text: str, page_words: list[str]) -> str:
    for words in page_words:
        text = text.replace(words, " ")
    return text


@pytest.fixture()
def window(qtbot, fake_bridge, app_settings, captured) -> Iterator[MainWindow]:
    _captures, catalog = captured
    fake_bridge.auto["catalog"] = lambda job: Catalog(catalog).entries()
    yield from shown_window(qtbot, fake_bridge, app_settings)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_real_capture_reads_in_the_apps_language(qtbot, window, fake_bridge, captured,
                                                    language):
    captures, catalog = captured
    install_language(language)
    view = window.capture_view
    texts: list[tuple[str, str]] = []
    for c in captures:
        view.url_edit.setText(c.url)
        view.start_capture()
        job = fake_bridge.last("capture")
        for event in c.events:
            fake_bridge.emit(job, event)
            # a note replaces the one before: read the progress after every event
            texts += [(f"{c.url} progress: {w}", t) for w, t in widget_texts(view.progress)]
        fake_bridge.finish(job, c.result)
        texts += [(f"{c.url} result: {w}", t) for w, t in widget_texts(view)]
    history = window.history_view
    window.show_view("history")
    qtbot.waitUntil(lambda: history.model.rowCount() == len(captures))
    for row in range(len(captures)):
        history.table.selectRow(row)
        texts += [(f"history row {row}: {w}", t) for w, t in widget_texts(history)]
    # the real notes and warnings were shown, as the catalogue renders them for the app
    shown = {plain(t) for _w, t in texts}
    for c in captures:
        notes = [e.text for e in c.events if isinstance(e, CaptureMessage)]
        assert notes and all(plain(render(n, language, "app")) in shown for n in notes)
    problems = untranslated(texts, _english_sources())
    assert problems == [], "\n".join(problems)
    if language == "nn":
        page = _page_words(captures, catalog)
        bokmal = sorted({(w, plain(t)) for w, t in texts if bokmal_in(_without(t, page))})
        assert bokmal == [], "\n".join(f"{w}: {t}" for w, t in bokmal)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_real_capture_reads_in_the_command_lines_language(captured, language):
    captures, catalog = captured
    console = Console(lang=language)
    console.err = io.StringIO()
    for c in captures:
        assert c.result is not None
        for event in c.events:
            console.on_event(event)
        console.result(c.result)
    lines = console.err.getvalue().splitlines()
    # every step's line, with what the step did
    steps = {e.step for c in captures for e in c.events if isinstance(e, StepFinished)}
    assert steps <= set(STEP_NAMES) and {"finish-recording", "locate-persons"} <= steps
    english = [(line, english_in(line)) for line in lines if english_in(line)]
    assert english == [], "\n".join(f"{words}: {line}" for line, words in english)
    if language == "nn":
        page = _page_words(captures, catalog)
        bokmal = [line for line in lines if bokmal_in(_without(line, page))]
        assert bokmal == [], "\n".join(bokmal)
