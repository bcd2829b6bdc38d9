"""The message catalogue (issue 22): complete in bokmål, nynorsk and English, the same
parameters in every language, every code the source uses has texts, and the renderer's plural,
number and place rules."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

import somecapture
from somecapture import messages
from somecapture.errors import InputError
from somecapture.messages import (
    LANGUAGES,
    Msg,
    catalogue,
    codes,
    format_duration,
    format_number,
    includes,
    language_from_locale,
    msg_from_json,
    msg_json,
    normalize_language,
    placeholders,
    render,
    step_title,
)
from somecapture.models import CaptureResult, CaptureStatus
from tests.norwegian import bokmal_in

SOURCE = Path(somecapture.__file__).parent


def _base(key: str) -> str:
    return key.split("@", 1)[0]


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["en"], "the English catalogue is empty"
    for lang in LANGUAGES:
        for other in LANGUAGES:
            missing = sorted(keys[other] - keys[lang])
            assert not missing, f"{lang}.toml lacks {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_parses_and_has_the_english_parameters(lang: str) -> None:
    english = catalogue("en")
    for key, text in catalogue(lang).items():
        assert text.strip(), f"{lang}: {key} is empty"
        assert placeholders(text) == placeholders(english[key]), (
            f"{lang}: {key} uses {sorted(placeholders(text))}, English uses "
            f"{sorted(placeholders(english[key]))}")
        for included in includes(text):
            assert included in codes("en"), f"{lang}: {key} includes unknown {included}"


def test_place_variants_use_the_parameters_of_their_code() -> None:
    english = catalogue("en")
    for key, text in english.items():
        if "@" in key:
            assert _base(key) in english, f"variant {key} has no plain text"
            assert key.split("@", 1)[1] in messages.PLACES, key
            assert placeholders(text) <= placeholders(english[_base(key)]) | {"advice"}, key


# -- every code the source uses has a text in every language ---------------------------------
#
# A code is used wherever it is written: Msg("…"), console.t("…"), _t("…"), _h("…"), a code
# kept in a dict or passed on as a variable. So every string literal of the source that reads
# as a code (its first part is a part codes begin with, ``error``, ``cli``, ``help``…) is one;
# a file name such as ``config.toml`` is not. A code built at run time (f"status.{…}",
# "step." + name) is a *family*: every family the source builds must be listed in FAMILIES
# below with the values it is built from, taken from the code's own lists, and each of those
# codes must have its texts too.

_FILE_SUFFIXES = {"toml", "lock", "json", "txt", "csv", "pdf", "warc", "wacz", "xml", "html",
                  "png", "py", "log", "sqlite", "gz", "zip", "ts", "qm", "pem", "tsr", "tsq"}
_CODE_SHAPE = re.compile(r"[a-z][a-z0-9_-]*(\.[A-Za-z0-9_-]+)+(@(cli|app|doc))?")
_PREFIX_SHAPE = re.compile(r"[a-z][a-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.")


def _trees() -> list[tuple[str, Any]]:
    import ast

    return [(str(path.relative_to(SOURCE)), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(SOURCE.rglob("*.py"))]


def _call_literals(trees: list[tuple[str, Any]], function: str, where: str = "",
                   index: int = 0) -> set[str]:
    """The literal texts passed as argument ``index`` to a function or method named
    ``function`` (in the files under ``where``)."""
    import ast

    found: set[str] = set()
    for path, tree in trees:
        if not path.startswith(where):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == function and len(node.args) > index \
                    and isinstance(node.args[index], ast.Constant) \
                    and isinstance(node.args[index].value, str):
                found.add(node.args[index].value)
    return found


def _sheet_labels(trees: list[tuple[str, Any]]) -> set[str]:
    # the capture sheet's rows: field("case", …) → sheet.label.case
    return _call_literals(trees, "field", "package/pdf.py")


def _families(trees: list[tuple[str, Any]]) -> dict[str, set[str]]:
    """Each family of codes the source builds at run time: its prefix and the values it is
    built from (the code's own lists)."""
    from somecapture.batch import REPORT_COLUMNS, REPORT_STATUSES
    from somecapture.engine.navigation import NET_ERRORS
    from somecapture.messages import CONFLICT_REASONS, MISSING_REASONS
    from somecapture.models import STEP_NAMES, StepStatus

    statuses = {s.value for s in CaptureStatus}
    return {
        "status.": statuses,
        "sheet.status.": statuses,
        "cli.mark.": {s.value for s in StepStatus},
        "step.": set(STEP_NAMES),
        "net.": set(NET_ERRORS),
        "missing.": set(MISSING_REASONS),
        "conflict.": set(CONFLICT_REASONS),
        "batch.report.column.": set(REPORT_COLUMNS),
        "batch.report.status.": set(REPORT_STATUSES),
        "sheet.label.": _sheet_labels(trees),
        # the command line's placeholders: checked on the parser itself, below
        "metavar.": set(),
    }


def _used_codes() -> tuple[dict[str, str], dict[str, str]]:
    """(code → where) for every code written out in the source, (prefix → where) for every
    family built at run time."""
    import ast

    prefixes = {key.split(".", 1)[0] for key in catalogue("en")}
    used: dict[str, str] = {}
    built: dict[str, str] = {}
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if _CODE_SHAPE.fullmatch(text) and text.split(".", 1)[0] in prefixes \
                        and text.rsplit(".", 1)[1] not in _FILE_SUFFIXES:
                    used.setdefault(_base(text), f"{path}:{node.lineno}")
                continue
            head: Any = None
            if isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]  # f"status.{…}"
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                head = node.left  # "step." + name
            if isinstance(head, ast.Constant) and isinstance(head.value, str) \
                    and _PREFIX_SHAPE.fullmatch(head.value) \
                    and head.value.split(".", 1)[0] in prefixes:
                built.setdefault(head.value, f"{path}:{node.lineno}")
    return used, built


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_the_source_uses_has_texts(lang: str) -> None:
    known = codes(lang)
    used, built = _used_codes()
    assert len(used) > 500, "the scan found too few codes in the source"
    missing = {code: where for code, where in used.items() if code not in known}
    assert not missing, f"codes used in the source without a text in {lang}.toml: {missing}"
    families = _families(_trees())
    unlisted = {prefix: where for prefix, where in built.items() if prefix not in families}
    assert not unlisted, (f"codes built at run time from {unlisted}: write the codes out "
                          "whole, or list the family's values in _families")
    for prefix, values in families.items():
        assert values or prefix == "metavar.", prefix
        lacking = sorted(prefix + v for v in values if prefix + v not in known)
        assert not lacking, f"{lang}.toml lacks {lacking}"


def test_the_scan_sees_codes_used_every_way() -> None:
    """The scan finds a code however it is used: the console's t(), the help's _h(), a code
    in a conditional, a family built with an f-string or a +."""
    used, built = _used_codes()
    for code in ("cli.config_file", "help.watch.summary", "help.capture.urls",
                 "step.result.settle_busy", "queue.bad_port", "watch.schedule.not_later",
                 "note.system_proxy_unusable"):
        assert code in used, code
    assert {"status.", "step.", "net.", "sheet.label.", "metavar."} <= set(built)
    assert "config.toml" not in used  # a file name


def test_every_step_a_capture_runs_is_named() -> None:
    """Every step the engine and the pipeline run is in STEP_NAMES (and so has its name in
    the catalogue, above): the step names written in their calls."""
    from somecapture.models import STEP_NAMES

    trees = _trees()
    ran = (_call_literals(trees, "run", "engine/") | _call_literals(trees, "step", "engine/")
           | _call_literals(trees, "StepStarted", "pipeline.py", 1)
           | _call_literals(trees, "StepFinished", "pipeline.py", 1))
    assert {"navigate", "locate-persons", "package"} <= ran
    assert ran - set(STEP_NAMES) == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_placeholder_of_the_command_line_has_a_text(
        lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``metavar.`` family: the usage and help of every command name no code (a code
    without a text is shown as the code itself)."""
    import argparse

    from somecapture.cli.main import build_parser

    monkeypatch.setenv("LC_ALL", f"{lang}_NO.UTF-8" if lang != "en" else "en_GB.UTF-8")
    shown: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        shown.append(parser.format_help())
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)

    walk(build_parser())
    assert len(shown) > 10
    assert not [text for text in shown if re.search(r"\b(metavar|help|cli)\.[a-z_]", text)]


# the capture verb the records field does not use (issue 22): "arkivere"/"arkivering"
_CALQUES = re.compile(r"\bfang(e|er|et|st|sten|ster|a)?\b", re.IGNORECASE)


def test_nynorsk_texts_are_not_bokmal() -> None:
    # (the list the app's translations and views in nynorsk are checked with too)
    found = [(key, bokmal_in(text)) for key, text in catalogue("nn").items()
             if bokmal_in(text)]
    assert not found, f"bokmål words in nn.toml: {found}"
    # and the check sees them: a bokmål sentence of the catalogue is caught
    assert bokmal_in(catalogue("nb")["error.no_response"])


@pytest.mark.parametrize("lang", ("nb", "nn"))
def test_a_servers_response_is_a_nettverkssvar_not_a_svar(lang: str) -> None:
    """«svar» is a reply to a post all through the catalogue: a server's HTTP response is a
    «nettverkssvar», so "1 svar ble avkortet" cannot read as a reply cut short (review 22).
    (A time-stamping authority's answer, tsa.* and seal.*, is a service's answer.)"""
    english = catalogue("en")
    keys = [key for key, text in catalogue(lang).items()
            if re.search(r"\bresponses?\b", english[key], re.IGNORECASE)
            and not key.startswith(("tsa.", "seal.", "warc."))]
    assert len(keys) >= 8, keys
    noun = re.compile(r"\bsvar(et|ene|a|innhold|innhald|hode\w*|hovud\w*)?\b", re.IGNORECASE)
    wrong = {key: catalogue(lang)[key] for key in keys if noun.search(catalogue(lang)[key])}
    assert wrong == {}
    assert any("nettverkssvar" in catalogue(lang)[key] for key in keys)


@pytest.mark.parametrize("lang", ("nb", "nn"))
def test_norwegian_texts_say_arkivere_not_fange(lang: str) -> None:
    found = [key for key, text in catalogue(lang).items() if _CALQUES.search(text)]
    assert not found, f"'fange/fangst' in {lang}.toml: {found}"


# -- the locale rule (as git and apt read it) ---------------------------------------------

@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "no_NO.UTF-8"}, "nb"),
    ({"LANG": "nn_NO.UTF-8"}, "nn"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    # LC_ALL beats LC_MESSAGES beats LANG
    ({"LC_ALL": "nn_NO.UTF-8", "LC_MESSAGES": "en_GB.UTF-8", "LANG": "nb_NO.UTF-8"}, "nn"),
    ({"LC_MESSAGES": "nn_NO.UTF-8", "LANG": "en_GB.UTF-8"}, "nn"),
    ({"LC_ALL": "C", "LANG": "nb_NO.UTF-8"}, "en"),
    ({"LC_ALL": "", "LANG": "nb_NO.UTF-8"}, "nb"),
    # LANGUAGE only when no locale variable is set
    ({"LANGUAGE": "nn:nb:en"}, "nn"),
    ({"LANGUAGE": "nn", "LANG": "en_US.UTF-8"}, "en"),
])
def test_language_from_locale(environ: dict[str, str], expected: str) -> None:
    assert language_from_locale(environ) == expected


def test_normalize_language() -> None:
    assert normalize_language("nynorsk") == "nn"
    assert normalize_language("nb_NO.UTF-8@euro") == "nb"
    assert normalize_language("EN") == "en"
    assert normalize_language("sv_SE") is None
    assert normalize_language("") is None


# -- rendering ------------------------------------------------------------------------------

def test_plural_forms_in_each_language() -> None:
    assert render(Msg("time.minutes", minutes=1), "en") == "1 minute"
    assert render(Msg("time.minutes", minutes=2), "en") == "2 minutes"
    assert render(Msg("time.minutes", minutes=1), "nb") == "1 minutt"
    assert render(Msg("time.minutes", minutes=2), "nb") == "2 minutter"
    assert render(Msg("time.hours", hours=2), "nn") == "2 timar"
    assert render(Msg("time.hours", hours=1), "nn") == "1 time"


def test_numbers_follow_the_language() -> None:
    assert format_number(99990, "en") == "99,990"
    assert format_number(99990, "nb") == "99\u00a0990"
    assert format_number(2.5, "nn") == "2,5"
    assert format_number(3, "en", 1) == "3.0"
    # four digits are not grouped (line 1000, 7200 seconds)
    assert format_number(7200, "nb") == "7200" and format_number(1000, "en") == "1000"


def test_durations_are_rounded_estimates() -> None:
    assert render(format_duration(20), "nb") == "under ett minutt"
    assert render(format_duration(45 * 60), "en") == "45 minutes"
    assert render(format_duration(3 * 3600 + 20 * 60), "nn") == "3 timar og 20 minutt"
    assert render(format_duration(50 * 3600), "en") == "2 days 2 hours"
    assert render(format_duration(48 * 3600), "nb") == "2 døgn"


def test_step_titles() -> None:
    assert step_title("expand-thread", "nb") == "Åpner alle svar"
    assert step_title("expand-thread", "nn") == "Opnar alle svar"
    assert step_title("no-such-step", "nn") == "no-such-step"


def test_a_msg_is_its_english_text() -> None:
    msg = Msg("time.minutes", minutes=3)
    assert msg == "3 minutes"
    assert str(msg) == "3 minutes" and msg.text == "3 minutes"
    assert f"took {msg}" == "took 3 minutes"
    assert json.dumps([msg]) == '["3 minutes"]'


def test_a_msg_survives_pickle_copy_and_json() -> None:
    msg = Msg("time.hours_minutes", hours=1, minutes=5)
    for clone in (pickle.loads(pickle.dumps(msg)), copy.deepcopy(msg), copy.copy(msg),
                  msg_from_json(json.loads(json.dumps(msg_json(msg))))):
        assert isinstance(clone, Msg)
        assert (clone.code, clone.params, str(clone)) == (msg.code, msg.params, str(msg))
        assert render(clone, "nn") == "1 time og 5 minutt"
    # a plain text (an older version's metadata) stays a plain text
    assert msg_from_json("Old warning") == "Old warning"
    assert msg_json("Old warning") == {"code": None, "params": {}, "text": "Old warning"}


def test_exceptions_render_their_message() -> None:
    err = InputError(Msg("time.minutes", minutes=2))
    assert str(err) == "2 minutes"
    assert render(err, "nb") == "2 minutter"
    assert render(InputError("plain text"), "nb") == "plain text"
    assert render(None, "nb") == ""


def test_map_params_keeps_the_code() -> None:
    msg = Msg("time.minutes", minutes=2)
    assert msg.map_params(str.upper).code == "time.minutes"


def test_every_network_error_has_a_text_and_advice_for_where_the_archivist_is() -> None:
    from somecapture.engine.navigation import NET_ERRORS, explain_navigation_error

    for code in NET_ERRORS:
        assert f"net.{code}" in codes("en"), code
    blocked = explain_navigation_error("http://10.0.0.1/", Exception(
        "net::ERR_BLOCKED_BY_CLIENT at http://10.0.0.1/"))
    # the command line names its flag; the app its setting, in the app's language
    assert "--allow-private-network" in render(blocked, "en", "cli")
    app_nn = render(blocked, "nn", "app")
    assert "Innstillingar → Nettverk → Tillat sider på det lokale nettverket" in app_nn
    assert "--allow" not in app_nn and app_nn.startswith("Kunne ikkje opne http://10.0.0.1/")
    assert "--allow" not in render(blocked, "nb", "app")
    # the longer code wins over the one it contains (ERR_TIMED_OUT in ERR_CONNECTION_TIMED_OUT)
    timed = explain_navigation_error("https://x.example/", Exception(
        "net::ERR_CONNECTION_TIMED_OUT"))
    assert isinstance(timed, Msg) and timed.params["code"] == "ERR_CONNECTION_TIMED_OUT"
    proxy = explain_navigation_error("https://x.example/", Exception(
        "net::ERR_TUNNEL_CONNECTION_FAILED"), proxy="system")
    assert "(check the proxy settings)" in render(proxy, "en", "cli")
    assert "proxyinnstillingane på datamaskina" in render(proxy, "nn", "app")


def test_step_results_say_nothing_to_click_and_count_requests_properly() -> None:
    """The issue's wordings: no "clicked no clicks", no "1 request(s) failed"."""
    from somecapture.engine.capture import _browsers_own

    idle = Msg("step.result.expand", rounds=1, clicks="none", controls=0, most=0, dead=0)
    assert render(idle, "en") == "1 round; nothing to click"
    assert render(idle, "nn") == "1 runde; ingenting å klikke på"
    busy = Msg("step.result.expand", rounds=3, clicks="'Vis flere svar' ×2", controls=1,
               most=2, dead=0)
    assert render(busy, "nb") == ("3 runder; klikket 'Vis flere svar' ×2; 1 knapp, høyst 2 "
                                  "klikk på én; 0 lastet ingenting og ble ikke klikket igjen")
    # a page whose requests never stopped ends expansion with that said (issue 21), in
    # every language; "no" (and an older caller without the parameter) adds nothing
    polling = Msg("step.result.expand", rounds=4, clicks="none", controls=0, most=0, dead=0,
                  busy="yes")
    assert render(polling, "en") == ("4 rounds; nothing to click; the page's network never "
                                     "went quiet (it keeps sending requests), nothing new "
                                     "came for the full window")
    assert render(polling, "nn").endswith("nettverket på sida vart aldri i ro (sida sender "
                                          "stadig nye førespurnader), men ingenting nytt kom "
                                          "i løpet av heile ventetida")
    assert "aldri i ro" in render(polling, "nb")
    assert render(Msg("step.result.expand", rounds=1, clicks="none", controls=0, most=0,
                      dead=0, busy="no"), "nb") == "1 runde; ingenting å klikke på"
    assert render(Msg("note.requests_failed", count=1), "en").startswith(
        "1 of the page's requests failed")
    assert render(Msg("note.requests_failed", count=2), "nn").startswith(
        "2 av førespurnadene til sida mislukkast")
    # the tab's icon is the browser's request, not the page's: never counted
    assert _browsers_own("https://www.example.org/favicon.ico")
    assert _browsers_own("https://cdn.example.org/static/favicon-32x32.png?v=3")
    assert not _browsers_own("https://www.example.org/post/1")
    assert not _browsers_own("https://www.example.org/img/avatar.png")


def test_nested_messages_survive_json_in_lists_too() -> None:
    from somecapture.thread.diff import change_summary_msg

    summary = change_summary_msg({"counts": {"new_replies": 1, "edited_replies": 2,
                                             "no_longer_observed": 0}})
    back = msg_from_json(json.loads(json.dumps(msg_json(summary))))
    assert render(back, "nn") == render(summary, "nn") == (
        "1 nytt svar; 2 endra svar; 0 svar ikkje lenger observerte")


# -- issue 22: what verify, the packager and the batch say, in bokmål and nynorsk -------------

def test_a_list_parameter_reads_one_item_a_line() -> None:
    problems = [Msg("verify.problem.missing", file="data/capture.warc"),
                Msg("time.minutes", minutes=2)]
    failed = Msg("error.verification_failed", problems=problems)
    assert render(failed, "nn").splitlines() == [
        render(Msg("error.verification_failed", problems=[]), "nn"),
        "  - " + render(problems[0], "nn"), "  - " + render(problems[1], "nn")]
    # its English string is what the command line always showed
    assert str(failed).endswith("\n  - data/capture.warc: missing\n  - 2 minutes")
    # a message stored by an older version: the list already joined into a text
    old = msg_from_json({"code": "error.verification_failed",
                         "params": {"problems": "\n  - x: missing"}, "text": "…"})
    assert render(old, "nb").endswith("\n  - x: missing")
    with pytest.raises(ValueError):
        placeholders("{problems, list, commas}")


def _broken_package(root: Path) -> Path:
    """A package as someone may find it years later: a WARC with a changed payload, its
    response without a request and no warcinfo first; a PDF that is no PDF/A; metadata that
    breaks its schema; a file the bag does not list."""
    import io

    import pikepdf
    from warcio.warcwriter import WARCWriter

    from somecapture.models import Artifact
    from somecapture.package import bag

    package = root / "20261125T120000Z-example-post-1"
    data = package / "data"
    data.mkdir(parents=True)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(writer.create_warc_record("https://kommune.example/p/1", "response",
        payload=io.BytesIO(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>hei</p>")))
    (data / "capture.warc").write_bytes(buf.getvalue().replace(b"<p>hei", b"<p>hai"))
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(data / "screenshot.pdf")
    (data / "capture-metadata.json").write_text(json.dumps(
        {"capture_id": 7, "status": "ferdig", "files": "none", "extra_field": 1}), "utf-8")
    bag.write_bag(package, [Artifact(path=f.name, sha256=bag.sha256_file(f),
                                     size_bytes=f.stat().st_size, media_type="x")
                            for f in sorted(data.iterdir())], {})
    (data / "notes.txt").write_text("lagt til seinare", "utf-8")
    return package


def _norwegian(problem: object) -> dict[str, list[str]]:
    """The English words of a problem rendered in each Norwegian language, where any."""
    from tests.english import english_in

    found = {lang: english_in(render(problem, lang, "app")) for lang in ("nb", "nn")}
    return {lang: words for lang, words in found.items() if words}


def test_every_verify_line_is_a_catalogue_message_read_in_norwegian(tmp_path: Path) -> None:
    from somecapture.package.verify import verify_package

    check = verify_package(_broken_package(tmp_path))
    kinds = {getattr(p, "code", None) for p in check.problems}
    # the package's own checks each spoke (the bag, the WARC, the PDF/A, the schema)
    assert {"bag.not_in_manifest", "warc.first_not_warcinfo", "warc.record_problem",
            "warc.unpaired", "check.in_file", "check.at"} <= kinds, kinds
    for line in [*check.problems, *check.checked, *check.notes, check.seal_summary]:
        assert isinstance(line, Msg), f"not from the catalogue: {line!r}"
        assert line.code in codes("nb") and line.code in codes("nn")
        assert render(line, "nn") != render(line, "en"), line.code
        assert not _norwegian(line), (line.code, _norwegian(line), str(line))


def test_a_damaged_warc_pdf_and_bag_are_told_in_norwegian(tmp_path: Path) -> None:
    from somecapture.errors import VerificationError
    from somecapture.package import bag
    from somecapture.package.pdfa import check_pdfa_structure
    from somecapture.warc.verify import check_warc

    warc = tmp_path / "capture.warc"
    warc.write_bytes(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 100\r\n\r\nshort")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    pdf = tmp_path / "screenshot.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%cut off\n")
    no_bag = tmp_path / "no-bag"
    (no_bag / "data").mkdir(parents=True)
    (no_bag / "bagit.txt").write_text("BagIt-Version: 1.0\n", "utf-8")
    problems = [*check_warc(warc).problems, *check_warc(empty).problems,
                *check_pdfa_structure(pdf), *bag.validate_bag(no_bag)]
    assert {p.code for p in problems if isinstance(p, Msg)} >= {
        "warc.cut_short", "warc.no_records", "pdfa.unreadable", "verify.problem.missing"}
    failed = VerificationError(problems)
    for shown in (*problems, failed):
        assert isinstance(shown, Msg | VerificationError)
        assert not _norwegian(shown), (_norwegian(shown), str(shown))
    # the packager's refusal names each problem on a line of its own, in the reader's language
    assert render(failed, "nb").count("\n  - ") == len(problems)


def _failed_capture(url: str) -> CaptureResult:
    """A capture that failed the way the engine fails one (its own message, not a text)."""
    from somecapture.engine.navigation import explain_navigation_error

    result = CaptureResult(url=url, capture_id="c-9", status=CaptureStatus.FAILED)
    result.error = explain_navigation_error(url, Exception(
        f"net::ERR_NAME_NOT_RESOLVED at {url}"))
    result.warnings = [Msg("warning.attempt", attempt=3)]
    return result


def test_a_failed_batch_row_keeps_its_message_in_the_batch_store(tmp_path: Path) -> None:
    """What the app shows of a finished row, after a resume or from another process, is read
    back from the batch store: the message, not its English text."""
    from somecapture.catalog import BatchStore, Catalog

    url = "https://ingen.kommune.example/innlegg/1"
    store = BatchStore(Catalog(tmp_path / "catalog.sqlite"))
    store.create("b-1", "/lister/innlegg.txt", "0" * 64, str(tmp_path), [(1, url, {}, "c-9")],
                 {})
    failed = _failed_capture(url)
    store.mark_done("b-1", 1, failed)
    [item] = store.items("b-1")
    assert isinstance(item.error, Msg) and item.error.code == failed.error.code
    assert str(item.error) == str(failed.error)  # the English text, as before
    assert [w.code for w in item.warnings if isinstance(w, Msg)] == ["warning.attempt"]
    for lang in ("nb", "nn"):
        assert render(item.error, lang, "app") == render(failed.error, lang, "app")
        assert not _norwegian(item.error) and not _norwegian(item.warnings[0])


def test_a_batch_store_of_version_7_gets_the_messages_column(tmp_path: Path) -> None:
    import sqlite3

    from somecapture.catalog import BatchStore, Catalog

    path = tmp_path / "catalog.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta VALUES ('schema_version', '7');
            CREATE TABLE batch_items (
                batch_id TEXT NOT NULL, line INTEGER NOT NULL, url TEXT NOT NULL,
                row_json TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT 'pending',
                capture_id TEXT NOT NULL, status TEXT, package_path TEXT, error TEXT,
                warnings_json TEXT NOT NULL DEFAULT '[]', attempts INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (batch_id, line));
            INSERT INTO batch_items (batch_id, line, url, capture_id, state, status, error)
            VALUES ('old', 1, 'https://a.example/', 'c-1', 'done', 'failed', 'Old failure');
            """)
    conn.close()
    store = BatchStore(Catalog(path))
    [old] = store.items("old")
    assert old.error == "Old failure" and not isinstance(old.error, Msg)  # as it was written
    store.mark_done("old", 1, _failed_capture("https://a.example/"))
    [again] = store.items("old")
    assert isinstance(again.error, Msg)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_command_lines_help_names_its_placeholders_in_the_locales_language(
        lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Norwegian help says «Sett ADRESSE på oppfølgingslisten»: the usage line must name
    the same ADRESSE, not URL; argparse's own --version help is in the language too."""
    import argparse

    from somecapture.cli.main import build_parser

    monkeypatch.setenv("LANG", f"{lang}_NO.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    english = {render(Msg(key), "en") for key in catalogue("en") if key.startswith("metavar.")}
    norwegian = {render(Msg(key), lang) for key in catalogue(lang) if key.startswith("metavar.")}
    found: list[tuple[str, str]] = []
    helps: list[str] = []

    def walk(parser: argparse.ArgumentParser) -> None:
        helps.append(parser.format_help())
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)
            elif action.nargs != 0 and not action.choices:
                shown = action.metavar or (action.dest.upper() if action.option_strings
                                           else action.dest)
                found.append((parser.prog, str(shown)))

    walk(build_parser())
    assert found and all(shown in norwegian for _prog, shown in found), [
        f for f in found if f[1] not in norwegian]
    left = [f for f in found if f[1] in english - norwegian]
    assert left == []
    from tests.english import english_in

    version = next(line for line in helps[0].splitlines()
                   if line.strip().startswith("--version"))
    assert english_in(version.replace("--version", "")) == [], version
