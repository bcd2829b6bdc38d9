"""Text from a page, made safe to *show*: no terminal control, no forged lines, no reordering.

A captured page decides the text of its buttons, its title, its replies, its URLs and the
messages of the errors it provokes. Some of that text reaches people: the terminal (progress,
warnings, errors), the log file, the desktop app, folder names. Raw, it can act on whatever
shows it: ``ESC[2J`` clears a terminal, ``ESC]0;…BEL`` sets its window title, a carriage
return or ``ESC[2K`` overwrites a line so a fake ``COMPLETE`` appears, U+202E (RIGHT-TO-LEFT
OVERRIDE) makes a line read differently from its characters, a zero-width space makes two
texts that look alike differ, a lone surrogate makes a UTF-8 writer crash.

:func:`clean_text` removes all of that and nothing else: ordinary letters (æ, ø, å, any script),
punctuation and emoji (ZWJ sequences and flag tags included) pass unchanged.

**What is cleaned, and what is not.** Only what is *shown to people or used as a name* is
cleaned. Evidence is not: the WARC, the metadata JSON, the arkivmelding and the PDF keep the
page's text exactly as the page had it, control characters included, so the archive says what
the page said. The cleaning happens at the boundaries where text leaves the tool for a person:
the command line's console (:mod:`somecapture.cli.console`), the log formatter
(:mod:`somecapture.logsetup`), the app's widgets (:mod:`somecapture.gui`) and machine output
printed to a terminal (:func:`json_for_terminal`, which escapes instead of removing, so the
JSON still decodes to the page's exact text). Folder names are made by
:func:`somecapture.package.layout.slugify`, which keeps ``[a-z0-9-]`` only and so never
carries any of these characters.

This module is the lowest layer: every other module may import it; it imports nothing of
somecapture.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

__all__ = ["clean_text", "is_clean", "json_for_terminal"]

# -- escape sequences (ECMA-48): removed whole, so no "[2J" residue is left to read ----------

# command strings: OSC (title, hyperlinks, clipboard), DCS, SOS, PM, APC, each in its 7-bit
# (ESC + letter) and 8-bit (C1) form, ended by ST (ESC \ or U+009C) or, for OSC in practice,
# BEL. An unterminated one loses only its introducer (below): the rest is shown as text,
# which is better than silently dropping page text up to the end.
_STRING_SEQ = (r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
               r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)")
# CSI (cursor moves, erase, colours, modes): ESC [ or U+009B, parameters, intermediates, final
_CSI_SEQ = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
# any other escape: ESC, intermediates, a final byte (ESC c resets the terminal, ESC 7/8
# save/restore the cursor, ESC ( 0 switches to line drawing)
_ESC_SEQ = r"\x1b[\x20-\x2f]*[\x30-\x7e]"
_SEQUENCES = re.compile(f"{_STRING_SEQ}|{_CSI_SEQ}|{_ESC_SEQ}")

# -- line breaks --------------------------------------------------------------------------
# every way text can start a new line: CR LF, CR (which, alone, returns to the start of the
# line and lets later text overwrite it), LF, VT, FF, NEL, LINE and PARAGRAPH SEPARATOR
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")

# -- format characters that change how a text reads -------------------------------------
# bidi embeddings and overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI): they
# reorder a whole run ("Trojan Source", CVE-2021-42574). The marks LRM, RLM and ALM are kept:
# they only settle the direction of neighbouring punctuation, and RTL text needs them.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# invisible characters that make equal-looking texts differ, or hide text: zero-width space,
# word joiner and invisible operators, deprecated format controls, BOM / zero-width no-break
# space, Mongolian vowel separator, interlinear annotation, the language tag
_INVISIBLE = ("\u200b\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f"
              "\ufeff\u180e\ufff9\ufffa\ufffb\U000e0001")
_DROP = frozenset(_BIDI + _INVISIBLE)
_ZWNJ, _ZWJ = "\u200c", "\u200d"
_TAGS = range(0xE0020, 0xE0080)
_BLACK_FLAG = "\U0001f3f4"


def _is_emoji_part(ch: str) -> bool:
    """Roughly Extended_Pictographic plus what joins it (the standard library lacks the
    property): pictographs, dingbats, arrows and symbols often drawn as emoji, VS16, skin
    tones, the keycap."""
    cp = ord(ch)
    return (cp >= 0x1F000 and cp < 0x1FB00) or 0x2190 <= cp <= 0x21FF or (
        0x2300 <= cp <= 0x23FF) or 0x2460 <= cp <= 0x27BF or 0x2900 <= cp <= 0x297F or (
        0x2B00 <= cp <= 0x2BFF) or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139,
                                          0x3030, 0x303D, 0x3297, 0x3299, 0xFE0F, 0x20E3)


def _is_joined_letter(ch: str) -> bool:
    """A letter or mark of a script that uses joiners (Hebrew onwards: Arabic, Persian,
    the Indic scripts, Sinhala…); Latin, Greek and Cyrillic never need them."""
    return ord(ch) >= 0x0590 and unicodedata.category(ch)[0] in "LM"


def _joiner_kept(text: str, i: int) -> bool:
    """ZWJ/ZWNJ where they join something: inside an emoji sequence (👩‍💻), or between letters
    of scripts that use them (Persian, Indic). Elsewhere (``COMP\u200dLETE``) they only make
    a text differ from what it shows."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    if text[i] == _ZWJ and _is_emoji_part(before) and _is_emoji_part(after):
        return True
    return _is_joined_letter(before) and _is_joined_letter(after)


def _tag_run_kept(text: str, i: int) -> int:
    """Length of a valid emoji tag sequence's tags starting at ``i`` (🏴 + tags + CANCEL TAG,
    the flags of England, Scotland, Wales), else 0."""
    if i == 0 or text[i - 1] != _BLACK_FLAG:
        return 0
    j = i
    while j < len(text) and ord(text[j]) in _TAGS:
        if text[j] == "\U000e007f":
            return j + 1 - i
        j += 1
    return 0


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """``text`` with every terminal control, forged line break, bidi override and invisible
    trick removed; safe to print, log, show or use in a message.

    - Escape sequences (CSI with parameters, OSC titles ended by BEL or ST, DCS/APC/PM/SOS
      strings, two-character escapes; 7-bit and 8-bit C1 forms) are removed whole.
    - Every other C0/C1 control character (NUL, BEL, backspace, DEL, U+0080–U+009F…) is
      removed; a tab becomes a space.
    - Line breaks (CR LF, CR, LF, VT, FF, NEL, U+2028, U+2029): with ``multiline`` each
      becomes ``\\n`` (a lone CR too: what it would have overwritten is shown instead);
      without, each becomes a space, so page text can never start a line of its own.
    - Bidi embeddings, overrides and isolates are removed (the marks LRM/RLM/ALM are kept).
    - Zero-width and other invisible format characters are removed; ZWJ/ZWNJ are kept where
      they join emoji or letters, tag characters only inside a flag sequence.
    - A lone surrogate (from a broken UTF-16 pair) becomes U+FFFD, so UTF-8 writers never fail.

    Ordinary text is returned unchanged. ``None`` gives ``""``. The function is idempotent.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text  # the common case, and nothing to do
    text = _SEQUENCES.sub("", text)
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text)
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        cp = ord(ch)
        if ch == "\n":
            out.append(ch)  # only present in multiline mode
        elif ch == "\t":
            out.append(" ")
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            pass  # C0 and C1 controls, DEL; ESC left over from a broken sequence
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\ufffd")
        elif ch in _DROP:
            pass
        elif ch in (_ZWJ, _ZWNJ):
            if _joiner_kept(text, i):
                out.append(ch)
        elif cp in _TAGS:
            run = _tag_run_kept(text, i)
            if run:
                out.append(text[i:i + run])
                i += run
                continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def is_clean(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` is already as :func:`clean_text` would give it."""
    return clean_text(text, multiline=multiline) == text


# characters that must not reach a terminal raw even inside a JSON string: C1 controls (json
# escapes C0 itself), bidi and invisible format characters, line/paragraph separators, lone
# surrogates (which would make printing fail)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                          "\ufeff\u180e\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")


def _json_escape(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if cp > 0xFFFF:
        cp -= 0x10000
        return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"
    return f"\\u{cp:04x}"


def json_for_terminal(value: Any, **kwargs: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **kwargs)``, with every character a terminal
    could act on written as a ``\\uXXXX`` escape.

    Unlike :func:`clean_text` nothing is lost: the JSON decodes to exactly the page's text (it
    is data for scripts), but the bytes on the terminal are harmless. Such characters can only
    occur inside JSON strings, where the escape is valid.
    """
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(_json_escape, text)
