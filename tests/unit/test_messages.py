"""The message catalogue (issue 22): complete in bokmål, nynorsk and English, the same
parameters in every language, every code the source uses has texts, and the renderer's plural,
number and place rules."""

from __future__ import annotations

import copy
import json
import pickle
import re
from pathlib import Path

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


_CODE_IN_SOURCE = re.compile(r"""\bMsg\(\s*["']([a-z][a-z0-9_.-]+)["']""")


def test_every_code_the_source_uses_has_texts() -> None:
    known = codes("en")
    used: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        for code in _CODE_IN_SOURCE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, str(path.relative_to(SOURCE)))
    assert used, "the scan found no Msg(...) in the source"
    missing = {code: where for code, where in used.items() if code not in known}
    assert not missing, f"codes used in the source without texts: {missing}"


# words of bokmål that nynorsk writes otherwise: a nynorsk text holding one was written in
# bokmål by mistake (whole words, case-insensitive)
_BOKMAL_ONLY = ("ikke", "hva", "hvis", "hvor", "fra", "jeg", "bare", "noen", "ble",
                "mye", "kun", "skjermet", "advarsel", "innstillinger", "eller så", "henter",
                "siden", "mislykket", "disse", "hvordan", "enn så", "ett")
# the capture verb the records field does not use (issue 22): "arkivere"/"arkivering"
_CALQUES = re.compile(r"\bfang(e|er|et|st|sten|ster|a)?\b", re.IGNORECASE)


def test_nynorsk_texts_are_not_bokmal() -> None:
    found = []
    for key, text in catalogue("nn").items():
        plain = re.sub(r"\{[a-z_]+\}", " ", text)
        for word in _BOKMAL_ONLY:
            if re.search(rf"(?<![\w-]){word}(?![\w-])", plain, re.IGNORECASE):
                found.append((key, word))
    assert not found, f"bokmål words in nn.toml: {found}"


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
