"""Rendering the screened variant (``screened/screenshot.pdf``) and proving it holds no name.

The variant is made like the main PDF/A (same renderer, same PDF/A-2b validation) from the
same screenshot with the plan's masks drawn into its pixels, a capture sheet whose title is
the registration's ``offentligTittel`` and whose author, addresses and notes are screened, and
a text appendix with pseudonyms (:class:`~somecapture.package.screening.ScreeningPlan`).

Then it is read back: the text layer (``pdftotext`` where poppler is installed) and the
document's metadata (Info and XMP) must hold no private person's name or handle, no valid
fødselsnummer, phone number or e-mail address; the document must have no embedded files,
attachments or bookmarks. Independently of that reader, every string the variant was made
from is checked the same way before rendering. A variant that fails is removed, and the
capture says so.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image

from somecapture.models import CaptureResult
from somecapture.options import RecordOptions
from somecapture.package.pdf import CaptureSheet, ThreadTextEntry, render_capture_pdf
from somecapture.package.record import Registration, capture_sheet, thread_text
from somecapture.package.screening import (
    _EMAIL_RE,
    _FNR_RE,
    _PHONE_RE,
    CANNOT_CATCH,
    MASKED,
    ScreeningPlan,
    name_pattern,
    valid_fodselsnummer,
)

__all__ = ["discard_screened", "find_leaks", "render_screened_pdf"]

#: seconds pdftotext may take on a long variant
_READ_TIMEOUT_S = 120


def _description(plan: ScreeningPlan, record: RecordOptions) -> str:
    labels = list(plan.pseudonyms.values())
    n = len(labels)
    shown = f"«{labels[0]}»{f'–«{labels[-1]}»' if n > 1 else ''}" if labels else "pseudonymer"
    text = (f"{n} privatperson{'er' if n != 1 else ''} er erstattet med "
            f"{shown}: navn, brukernavn, "
            "profilbilder og profillenker er dekket i skjermbildet og byttet ut i teksten. "
            "Fødselsnummer, telefonnumre og e-postadresser i tekstene er skjermet. ")
    if plan.screen_text:
        text += "Privatpersonenes egne tekster er også skjermet. "
    else:
        text += "Svarenes tekster er ellers gjengitt. "
    if record.screening:
        text += f"Hjemmel: {record.screening}. "
    return text + CANNOT_CATCH


def _once(text: str) -> str:
    """"Innbygger 3 (@Innbygger 3)" — a name and its handle both replaced — said once."""
    return re.sub(r"(Innbygger \d+) \(@?\1\)", r"\1", text)


def _screened_sheet(sheet: CaptureSheet, reg: Registration, plan: ScreeningPlan,
                    record: RecordOptions, root: dict[str, Any]) -> CaptureSheet:
    author = sheet.author
    private_root = bool(root) and plan.person_of(root) is not None
    if author and (reg.sender_is_private or private_root):
        key = plan.person_of(root) if root else None
        author = plan.pseudonyms.get(key or "") or plan.text(
            reg.sender_name or reg.sender_handle or author)
    title = reg.public_title
    if plan.screen_text and private_root:
        # the title's first words are the private author's text, withheld here
        title = f"{sheet.platform or 'Web'}: {author or MASKED['text']}"
    return dataclasses.replace(
        sheet,
        title=title,
        url=plan.url(sheet.url) or sheet.url,
        final_url=plan.url(sheet.final_url),
        # some platforms' post ids are paths naming the author ("/kari/status/1")
        post_id=plan.url(sheet.post_id),
        author=author,
        notes=tuple(plan.text(n) for n in sheet.notes),
        # a later version's list of changes names repliers, also ones no longer shown
        changes=tuple(_once(plan.text(line)) for line in sheet.changes),
        screening=_description(plan, record),
    )


#: a hash printed in groups (the certificate's SHA-256 on the sheet): never an identity
#: number or a phone number, whatever its digits
_HASH_GROUPS = re.compile(r"\b(?:[0-9a-f]{8}\s+){3,}[0-9a-f]{1,8}\b")


#: what the renderer writes itself and is no person's: the time zone's name (a private
#: person called "Oslo …" must not fail the check on "Europe/Oslo")
_TEMPLATE = ("Europe/Oslo",)


def _without(text: str, agency: tuple[str, ...]) -> str:
    for value in (*_TEMPLATE, *agency):
        if value and value.strip():
            text = re.sub(r"\s+".join(re.escape(p) for p in value.split()), " ", text,
                          flags=re.IGNORECASE)
    return text


def find_leaks(text: str, plan: ScreeningPlan, agency: tuple[str, ...] = (),
               template: frozenset[str] = frozenset()) -> list[str]:
    """What of the screened things ``text`` still holds (kinds and counts; never the values,
    so the message that reports a leak does not leak). ``agency``: the archivist's and the
    organisation's names, which the sheet prints and which are nobody's private data;
    ``template``: the words the renderer prints itself (a handle "url" is not found in the
    label "Adresse (URL)")."""
    text = _HASH_GROUPS.sub(" ", _without(text, agency))
    # the pseudonyms in use are the variant's own words: "Innbygger 41" holds the first name
    # of a citizen called "Innbygger 3" and is no leak of it (numbers equal to a person's own
    # name are never used as pseudonyms, so no name is hidden by taking them out)
    labels = sorted(set(plan.pseudonyms.values()), key=len, reverse=True)
    if labels:
        text = re.sub(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)", " ", text)
    found: list[str] = []
    # one pass for every name form (a thread of 1,000 persons has some 4,000)
    pattern = name_pattern([(k, n) for k, n in plan.forbidden_forms()
                            if n.lstrip("@").lower() not in template], at=False)
    names = len({m.group(0).lower() for m in pattern.finditer(text)}) if pattern else 0
    if names:
        found.append(f"{names} name(s) or handle(s) of private persons")
    if any(valid_fodselsnummer(m.group(0)) for m in _FNR_RE.finditer(text)):
        found.append("an identity number")
    if _EMAIL_RE.search(text):
        found.append("an e-mail address")
    if _PHONE_RE.search(text):
        found.append("a phone number")
    return found


def _inputs_text(sheet: CaptureSheet, entries: list[ThreadTextEntry]) -> str:
    parts = [str(v) for v in dataclasses.asdict(sheet).values() if isinstance(v, str)]
    parts += list(sheet.notes) + list(sheet.changes)
    for e in entries:
        parts += [e.author, e.text, e.handle or "", e.posted_at_text or ""]
    return "\n".join(parts)


@cache
def _template_words() -> frozenset[str]:
    """Every word the renderer prints by itself (labels, headings, the footer), read back
    from a document whose own values are all one placeholder."""
    blank = "\u00d8"
    sheet = CaptureSheet(title=blank, url=blank, captured_at=datetime.now(UTC),
                         archivist=blank, capture_id=blank, tool_name="somecapture",
                         tool_version=blank, warc_sha256=blank, status="complete",
                         platform=blank, post_id=blank, author=blank, published_shown=blank,
                         organisation=blank, comments_captured=1, comments_expected=1,
                         final_url=blank + "2", screenshot_sha256=blank, certificates=blank,
                         notes=(blank,), screening=blank)
    tool = shutil.which("pdftotext")
    if not tool:
        return frozenset()
    with tempfile.TemporaryDirectory() as tmp:
        png, pdf = Path(tmp) / "blank.png", Path(tmp) / "blank.pdf"
        Image.new("RGB", (64, 64), "white").save(png)
        render_capture_pdf(png, sheet, [ThreadTextEntry(author=blank, text=blank)], pdf)
        done = subprocess.run([tool, "-q", "-enc", "UTF-8", str(pdf), "-"],
                              capture_output=True, timeout=_READ_TIMEOUT_S, check=False)
    words = re.findall(r"\w+", done.stdout.decode("utf-8", "replace").lower())
    return frozenset(w for w in words if w != blank.lower())


def _document_text(path: Path) -> tuple[str, str]:
    """(text, reader): the text layer as pdftotext reads it, plus the Info and XMP values."""
    parts: list[str] = []
    reader = "inputs only (pdftotext is not installed)"
    tool = shutil.which("pdftotext")
    if tool:
        done = subprocess.run([tool, "-q", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, timeout=_READ_TIMEOUT_S, check=False)
        if done.returncode == 0:
            parts.append(done.stdout.decode("utf-8", "replace"))
            reader = "pdftotext (poppler)"
        else:
            reader = f"inputs only (pdftotext failed with exit {done.returncode})"
    with pikepdf.open(path) as pdf:
        for value in pdf.docinfo.values():
            parts.append(str(value))
        with pdf.open_metadata() as meta:
            for key in list(meta):
                parts.append(str(meta.get(key, "")))
        if pdf.attachments or "/Outlines" in pdf.Root or "/Names" in pdf.Root:
            parts.append("\x00structure")
    return "\n".join(parts), reader


def discard_screened(path: Path) -> None:
    """Remove a variant that may not be published, and its folder when that is left empty
    (an empty folder in the bag is not a file of the package, and verify refuses it)."""
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass  # not empty, or not there


def render_screened_pdf(result: CaptureResult, reg: Registration, record: RecordOptions,
                        warc_sha256: str, screenshot_sha256: str, started: datetime,
                        screenshot: Path, plan: ScreeningPlan, out_path: Path
                        ) -> dict[str, Any]:
    """Render the screened variant to ``out_path`` and prove it; return the facts for the
    metadata. On a leak the file is removed and ``plan.problems`` says why."""
    sheet = _screened_sheet(
        capture_sheet(result, reg, record, warc_sha256, screenshot_sha256, started),
        reg, plan, record, (result.thread or {}).get("root") or {})
    screened = dataclasses.replace(result, thread=plan.screened_thread(result.thread or {}))
    entries = thread_text(screened)
    agency = (sheet.archivist, sheet.organisation or "")
    leaks = find_leaks(_inputs_text(sheet, entries), plan, agency)
    if leaks:
        plan.problems.append("the screened text would still hold " + ", ".join(leaks))
        return {"file": None, **plan.to_json()}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    render_capture_pdf(screenshot, sheet, entries, out_path,
                       masks=[m.as_tuple() for m in plan.masks])
    text, reader = _document_text(out_path)
    # the renderer's own words are only worked out (a render and a read-back, ~1 s) when
    # something was found: they only ever take candidates away, so without a finding there
    # is nothing for them to take
    problems = find_leaks(text, plan, agency)
    if problems:
        problems = find_leaks(text, plan, agency, _template_words())
    if "\x00structure" in text:
        problems.append("embedded files or bookmarks")
    if problems:
        discard_screened(out_path)
        plan.problems.append("the screened PDF, read back, still holds " + ", ".join(problems))
        return {"file": None, **plan.to_json()}
    return {"file": None, **plan.to_json(), "read_back": reader}
