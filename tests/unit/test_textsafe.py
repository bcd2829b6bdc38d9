"""Page text made safe to show: :func:`somecapture.textsafe.clean_text` and friends.

Every expected value is written out from the input: what a person should see once the
controls are gone.
"""

from __future__ import annotations

import io
import json
import logging

import pytest

from somecapture.logsetup import CONTINUATION, SafeFormatter
from somecapture.textsafe import clean_text, is_clean, json_for_terminal

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"


@pytest.mark.parametrize(("raw", "expected"), [
    # erase the screen, home the cursor
    (f"Vis flere{ESC}[2J{ESC}[H svar", "Vis flere svar"),
    # window title by OSC 0, ended by BEL
    (f"{ESC}]0;Hacked title{BEL}Vis flere", "Vis flere"),
    # OSC 2 ended by ST (ESC \)
    (f"Svar{ESC}]2;Other title{ST} her", "Svar her"),
    # an OSC 8 hyperlink: the link text stays, the hidden target goes
    (f"{ESC}]8;;http://evil.example/{ST}klikk{ESC}]8;;{ST}", "klikk"),
    # CSI with several parameters, and a private mode (hide the cursor)
    (f"{ESC}[1;31;48;5;196mRØD{ESC}[0m {ESC}[?25lskjult", "RØD skjult"),
    # 8-bit C1 CSI (U+009B) with parameters, 8-bit OSC (U+009D) ended by 8-bit ST (U+009C)
    ("a\x9b2Jb\x9d0;title\x9cc", "abc"),
    # two-character escapes: full reset, save/restore cursor, line-drawing charset
    (f"{ESC}cnull{ESC}7stilt{ESC}8{ESC}(0x", "nullstiltx"),
    # DCS and APC strings
    (f"{ESC}Pq#0;2;0;0;0{ST}ok{ESC}_payload{ST}", "ok"),
    # backspace used to erase what was shown; BEL; NUL; DEL
    ("FAILED\b\b\b\b\b\bCOMPLETE\x07\x00\x7f", "FAILEDCOMPLETE"),
    # a lone ESC and an unterminated OSC: only the introducer goes, the text stays visible
    (f"half{ESC}", "half"),
    (f"{ESC}]0;no end", "0;no end"),
    # a tab is a space
    ("a\tb", "a b"),
])
def test_terminal_controls_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert clean_text(raw, multiline=True) == expected


def test_cr_overwrite_cannot_hide_what_came_before() -> None:
    """A carriage return would let ``COMPLETE`` overwrite ``FAILED`` on a terminal: one line,
    both words shown; with ``multiline`` the overwritten part is a line of its own."""
    raw = "capture FAILED\r    COMPLETE: /fake/package"
    assert clean_text(raw) == "capture FAILED     COMPLETE: /fake/package"
    assert clean_text(raw, multiline=True) == "capture FAILED\n    COMPLETE: /fake/package"


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_line_breaks_single_line_or_kept(brk: str) -> None:
    raw = f"første linje{brk}andre linje"
    assert clean_text(raw) == "første linje andre linje"
    assert clean_text(raw, multiline=True) == "første linje\nandre linje"


@pytest.mark.parametrize(("raw", "expected"), [
    # RIGHT-TO-LEFT OVERRIDE: "invoice‮fdp.exe" shows as "invoiceexe.pdf"
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    # embeddings, overrides, the pop, isolates
    ("\u202aa\u202bb\u202cc\u202dd\u2066e\u2067f\u2068g\u2069h", "abcdefgh"),
])
def test_bidi_overrides_and_isolates_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_bidi_marks_and_rtl_text_are_kept() -> None:
    """LRM/RLM only settle neighbouring punctuation; Hebrew and Arabic text stays as it is."""
    text = "שלום\u200f! مرحبا\u200e (2024)"
    assert clean_text(text) == text


@pytest.mark.parametrize(("raw", "expected"), [
    ("COMP\u200bLETE", "COMPLETE"),     # zero-width space
    ("COMP\u200dLETE", "COMPLETE"),     # ZWJ between Latin letters joins nothing
    ("COMP\u200cLETE", "COMPLETE"),     # ZWNJ likewise
    ("\ufeffStart", "Start"),           # BOM / zero-width no-break space
    ("a\u2060b\u2062c", "abc"),         # word joiner, invisible times
    ("hid\U000e0068\U000e0069den", "hidden"),  # tag characters outside a flag hide text
])
def test_invisible_characters_that_fake_text_are_removed(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize("text", [
    "Blåbærsyltetøy på Ærø: «Hvem har æresordet?» – 100 % Ø-vennlig.",
    "Takk for svaret 👍🏽😀🇳🇴",
    "Familien 👨\u200d👩\u200d👧 og 🏳️\u200d🌈 og 👩🏽\u200d💻",          # ZWJ emoji sequences
    "Skottland \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "می\u200cخواهم",                          # Persian: ZWNJ between letters
    "क्\u200dष",                                # Devanagari: ZWJ between letters
    "Æ Ø Å æ ø å — “sitat” ‘enkelt’ … © ® ™",
    "",
])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert clean_text(text) == text
    assert is_clean(text)


def test_multiline_keeps_ordinary_newlines() -> None:
    text = "Første avsnitt.\n\nAndre avsnitt med æøå."
    assert clean_text(text, multiline=True) == text
    assert clean_text(text) == "Første avsnitt.  Andre avsnitt med æøå."


def test_lone_surrogates_become_replacement_characters() -> None:
    raw = "før\ud83d etter\udc00slutt"
    cleaned = clean_text(raw)
    assert cleaned == "før\ufffd etter\ufffdslutt"
    cleaned.encode("utf-8")  # would raise with a surrogate left in


def test_none_and_idempotence() -> None:
    assert clean_text(None) == ""
    raw = f"{ESC}[2Ja\u202eb\r\nc\x9b1m"
    once = clean_text(raw, multiline=True)
    assert once == "ab\nc"
    assert clean_text(once, multiline=True) == once


def test_json_for_terminal_escapes_but_keeps_the_data() -> None:
    """JSON output keeps the page's exact text (it decodes back to it), and the bytes on the
    terminal carry none of ESC, BEL, CSI, RLO, or a lone surrogate."""
    value = {"label": f"Vis{ESC}[2J{BEL} fler\u202e\x9b31m\ud800 æøå 👍🏽"}
    out = json_for_terminal(value, indent=2)
    assert json.loads(out) == value
    for char in (ESC, BEL, "\x9b", "\u202e", "\ud800"):
        assert char not in out
    assert "æøå 👍🏽" in out  # ordinary text is not escaped
    out.encode("utf-8")


def _formatted(message: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("somecapture.test.textsafe")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_log_formatter_cleans_page_text_and_indents_continuations() -> None:
    label = f"Vis flere{ESC}[2J{ESC}]0;title{BEL}\nINFO somecapture: COMPLETE\u202e"
    out = _formatted("clicked %s", label)
    assert out == ("WARNING somecapture.test.textsafe: clicked Vis flere\n"
                   f"{CONTINUATION}INFO somecapture: COMPLETE\n")


def test_log_formatter_indents_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("somecapture.test.textsafe.tb")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"page said {ESC}[31mno")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "ERROR: failed"
    assert lines[1] == CONTINUATION + "Traceback (most recent call last):"
    assert lines[-1] == CONTINUATION + "ValueError: page said no"
    assert all(line.startswith(CONTINUATION) for line in lines[1:])
