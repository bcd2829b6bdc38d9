"""The command line as a new archivist meets it (issue 22): the locale's language, every bad
option at once and named as typed, usage errors before any browser starts, an estimate for a
long batch, capped error floods, skipped lines said as skipped, and a resume that remembers.

Each runs the real command in a subprocess. A browser path that does not exist
(``--browser``) tells where a run stopped: a usage error (exit 2) came before the engine; had
the engine been reached, it would have failed to find the browser (exit 6).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from somecapture.catalog import Catalog
from somecapture.cli.status import ExitStatus

NO_BROWSER = "/nonexistent/chromium-for-test"
NOWHERE = "http://127.0.0.1:9/never-contacted"


def _run(*args: str, home: Path, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    """``somecapture ARGS`` with its own catalogue, logs and config under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update({"LANG": lang, "XDG_DATA_HOME": str(home / "data"),
                "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache")})
    return subprocess.run([sys.executable, "-m", "somecapture", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def _errors(proc: subprocess.CompletedProcess[str], prefix: str = "Error: ") -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.startswith(prefix)]


# -- options: all at once, as typed, in the locale's language --------------------------------

def test_an_unknown_option_is_said_with_the_other_bad_options(tmp_path: Path) -> None:
    """An option the command does not have stops nothing else from being said: it is named
    as typed (with its value), for the command typed, beside the out-of-range ones."""
    from somecapture.messages import Msg, render

    proc = _run("capture", NOWHERE, "--timeout", "-5", "--concurrency", "3", "--bogus",
                "--browser", NO_BROWSER, home=tmp_path, lang="nn_NO.UTF-8")
    assert proc.returncode == ExitStatus.USAGE, proc.stderr
    errors = _errors(proc, "Feil: ")
    for typed in ("--concurrency 3", "--bogus"):
        said = render(Msg("option.unknown", option=typed, command="capture"), "nn", "cli")
        assert f"Feil: {said}" in errors, errors
    assert any(e.startswith("Feil: --timeout: -5 ") for e in errors), errors
    assert "usage" not in proc.stderr and "bruk:" not in proc.stderr
    # a command that checks no options of the capture's: its own usage, not the top one's
    verify = _run("verify", str(tmp_path), "--bogus", home=tmp_path)
    assert verify.returncode == ExitStatus.USAGE
    assert "usage: somecapture verify " in verify.stderr
    assert "--bogus" in verify.stderr and "Traceback" not in verify.stderr


def test_every_bad_option_at_once_named_as_typed(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"{NOWHERE}\n", encoding="utf-8")
    proc = _run("batch", str(listing), "--timeout", "-5", "--concurrency", "500", "--retries",
                "-1", "--browser", NO_BROWSER, home=tmp_path)
    assert proc.returncode == ExitStatus.USAGE, proc.stderr
    assert _errors(proc) == [
        "Error: --concurrency: 500 is out of range; give a number from 1 to 16.",
        "Error: --retries: -1 is out of range; give a number from 0 to 10.",
        "Error: --timeout: -5 is out of range; give a number of seconds from 5 to 7200.",
        "Error: Nothing was started: fix the 3 problems above and try again.",
    ]
    assert "capture_timeout_s" not in proc.stderr and "Traceback" not in proc.stderr


def test_options_in_nynorsk_and_bokmal(tmp_path: Path) -> None:
    nn = _run("capture", NOWHERE, "--timeout", "abc", "--no-timestamp", "--timestamp-url",
              "http://127.0.0.1:9/tsa", "--browser", NO_BROWSER, home=tmp_path,
              lang="nn_NO.UTF-8")
    assert nn.returncode == ExitStatus.USAGE
    assert _errors(nn, "Feil: ") == [
        "Feil: --timeout: «abc» er ikkje eit tal.",
        "Feil: --no-timestamp og --timestamp-url seier kvarandre imot; oppgje berre den eine.",
        "Feil: Ingenting vart starta: rett opp dei 2 feila ovanfor og prøv igjen."]
    nb = _run("capture", NOWHERE, "--timeout", "-5", "--browser", NO_BROWSER, home=tmp_path,
              lang="nb_NO.UTF-8")
    assert _errors(nb, "Feil: ") == [
        "Feil: --timeout: -5 er utenfor det tillatte området; oppgi et antall sekunder fra 5 "
        "til 7200."]


def test_lc_all_wins_over_lang(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update({"LANG": "nb_NO.UTF-8", "LC_ALL": "nn_NO.UTF-8",
                "XDG_DATA_HOME": str(tmp_path / "data")})
    proc = subprocess.run([sys.executable, "-m", "somecapture", "capture", "not a url"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.stderr.startswith("Feil: «not a url» er ikkje ei nettadresse."), proc.stderr


def test_argparse_own_errors_follow_the_locale(tmp_path: Path) -> None:
    # (capture and batch say an unknown option with their other bad options, above)
    proc = _run("verify", "--nope", str(tmp_path), home=tmp_path, lang="nn_NO.UTF-8")
    assert proc.returncode == ExitStatus.USAGE
    assert "feil: ukjende argument: --nope" in proc.stderr
    assert "Køyr «somecapture verify --help» for å sjå vala." in proc.stderr
    assert proc.stderr.startswith("bruk: somecapture verify ")


# -- usage errors before any browser starts ----------------------------------------------------

def test_a_missing_profile_is_a_usage_error_before_the_browser(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _run("capture", NOWHERE, "--profile", "nosuch", "--out", str(out),
                "--browser", NO_BROWSER, home=tmp_path)
    assert proc.returncode == ExitStatus.USAGE, proc.stderr
    assert _errors(proc) == [
        "Error: --profile nosuch: there is no login profile called “nosuch”. Create it with "
        "'somecapture login nosuch --url <login page>' ('somecapture profiles' lists those "
        "there are), or leave --profile out."]
    assert "Chromium" not in proc.stderr and not out.exists()


def test_an_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    proc = _run("capture", NOWHERE, "--out", str(blocker), "--browser", NO_BROWSER,
                home=tmp_path, lang="nb_NO.UTF-8")
    assert proc.returncode == ExitStatus.USAGE, proc.stderr
    assert _errors(proc, "Feil: ") == [
        f"Feil: --out {blocker}: dette er en fil, ikke en mappe; oppgi en mappe for "
        "arkivpakkene (den opprettes hvis den ikke finnes)."]
    assert "File exists" not in proc.stderr and "Chromium" not in proc.stderr


def test_an_output_path_inside_a_file_is_a_usage_error(tmp_path: Path) -> None:
    """--out afile/sub cannot be made: said before any browser starts, in the locale's
    language, naming the file in the way (not the system's English "Not a directory")."""
    from somecapture.messages import Msg, render
    from tests.english import english_in

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "sub" / "deeper"
    proc = _run("capture", NOWHERE, "--out", str(out), "--browser", NO_BROWSER,
                home=tmp_path, lang="nn_NO.UTF-8")
    assert proc.returncode == ExitStatus.USAGE, proc.stderr
    said = render(Msg("cli.out_under_file", option="--out", path=str(out), file=str(blocker)),
                  "nn", "cli")
    [error] = _errors(proc, "Feil: ")
    assert error == f"Feil: {said}" and english_in(error) == [], proc.stderr
    assert "Not a directory" not in proc.stderr and "Chromium" not in proc.stderr
    assert not blocker.is_dir() and blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_output_folder_that_cannot_be_made_says_why_in_the_language(
        tmp_path: Path) -> None:
    """Where the folder is made (the app, a batch, a worker), a file in the way is named as
    such in bokmål and nynorsk, with no advice about permissions."""
    from somecapture.errors import OutputDirError
    from somecapture.messages import render
    from somecapture.package.bag import prepare_out_dir
    from tests.english import english_in

    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for out in (tmp_path / "a-file", tmp_path / "a-file" / "sub"):
        try:
            prepare_out_dir(out)
        except OutputDirError as exc:
            message = exc.args[0]
        else:
            raise AssertionError(f"{out} was accepted")
        assert message.params["why"] == "notdir", message
        for lang in ("nb", "nn"):
            for place in ("cli", "app"):
                text = render(message, lang, place)
                assert english_in(text) == [] and str(out) in text, text
                assert "tilgang" not in text, text  # no permission to fix
        assert ("--out" in render(message, "nb", "cli")
                and "--out" not in render(message, "nb", "app"))


def test_verify_of_a_missing_package_is_a_usage_error(tmp_path: Path) -> None:
    proc = _run("verify", str(tmp_path / "missing"), str(tmp_path / "also-missing"),
                home=tmp_path)
    assert proc.returncode == ExitStatus.USAGE
    assert _errors(proc) == [
        f"Error: {tmp_path / 'missing'} does not exist: give the folder of a package (as "
        "'somecapture list' shows it).",
        f"Error: {tmp_path / 'also-missing'} does not exist: give the folder of a package (as "
        "'somecapture list' shows it)."]
    assert "FAILED" not in proc.stdout


# -- batches -----------------------------------------------------------------------------------

def _catalogue_with_durations(home: Path, seconds: list[int]) -> None:
    """A catalogue whose published captures took ``seconds`` each (from their start to their
    record in the catalogue)."""
    catalog = Catalog(home / "data" / "somecapture" / "catalog.sqlite")
    with catalog.connect() as conn:
        for i, span in enumerate(seconds):
            conn.execute(
                "INSERT INTO captures (capture_id, url, status, captured_at, recorded_at, "
                "package_path) VALUES (?, ?, 'complete', ?, ?, ?)",
                (f"c{i}", f"https://example.org/{i}", f"2026-01-01T10:{i:02d}:00+00:00",
                 f"2026-01-01T10:{i:02d}:{span:02d}+00:00", f"/pkg/{i}"))
    with sqlite3.connect(catalog.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM captures").fetchone()[0] == len(seconds)


def test_a_long_batch_says_how_long_it_will_take_and_goes_on(tmp_path: Path) -> None:
    # the median of the catalogue's recent captures: 30 s each
    _catalogue_with_durations(tmp_path, [20, 30, 30, 45, 50])
    listing = tmp_path / "long.txt"
    listing.write_text("".join(f"http://127.0.0.1:9/p{i}\n" for i in range(600)),
                       encoding="utf-8")
    proc = _run("batch", str(listing), "--concurrency", "2", "--out", str(tmp_path / "out"),
                "--browser", NO_BROWSER, home=tmp_path)
    # 600 × 30 s / 2 at a time = 2 h 30 min; then the batch went on (to the browser)
    assert ("600 URLs will take about 2 hours 30 minutes at 2 at a time (30 seconds per "
            "capture: the median of the last 5 captures)") in proc.stderr, proc.stderr
    assert proc.returncode == ExitStatus.ENVIRONMENT
    assert "No Chromium-based browser was found" in proc.stderr


def test_a_long_batch_without_measurements_states_its_default(tmp_path: Path) -> None:
    listing = tmp_path / "long.txt"
    listing.write_text("".join(f"http://127.0.0.1:9/p{i}\n" for i in range(500)),
                       encoding="utf-8")
    proc = _run("batch", str(listing), "--concurrency", "4", "--out", str(tmp_path / "out"),
                "--browser", NO_BROWSER, home=tmp_path, lang="nn_NO.UTF-8")
    # 500 × 60 s / 4 = 2 h 5 min
    assert ("500 adresser vil ta omtrent 2 timar og 5 minutt med 4 om gongen (60 sekund per "
            "arkivering: ein standardverdi, fordi inga arkivering er målt enno)") in proc.stderr
    short = tmp_path / "short.txt"
    short.write_text(f"{NOWHERE}\n", encoding="utf-8")
    proc = _run("batch", str(short), "--out", str(tmp_path / "out2"), "--browser", NO_BROWSER,
                home=tmp_path)
    assert "will take about" not in proc.stderr


def test_a_flood_of_bad_lines_is_capped_and_listed_in_full(tmp_path: Path) -> None:
    listing = tmp_path / "bad.txt"
    listing.write_text("".join(f"not a url {i}\n" for i in range(1000)) + f"{NOWHERE}\n",
                       encoding="utf-8")
    proc = _run("batch", str(listing), "--out", str(tmp_path / "out"), "--browser", NO_BROWSER,
                home=tmp_path)
    assert proc.returncode == ExitStatus.USAGE
    errors = _errors(proc)
    assert len(errors) == 22, errors  # 20 lines, how many more, and what to do
    # the line's text once: the reason quotes it already
    assert errors[0] == ("Error: line 1: “not a url 0” is not a web address. Give a full URL "
                         "such as https://www.facebook.com/oslokommune/posts/123.")
    more = re.fullmatch(r"Error: … and 980 more problems; all are listed in (.+)", errors[20])
    assert more, errors[20]
    listed = Path(more.group(1)).read_text(encoding="utf-8").splitlines()
    assert len(listed) == 1000 and listed[999].startswith("line 1000: “not a url 999”")
    assert errors[21] == (f"Error: 1000 problems in {listing}; nothing was started. Fix the "
                          "lines above, or add --skip-invalid to archive the valid URL.")
    assert not (tmp_path / "out").exists()


def test_skipped_lines_are_skipped_and_resume_remembers_the_choice(tmp_path: Path) -> None:
    listing = tmp_path / "mixed.txt"
    listing.write_text(f"not a url\n{NOWHERE}\nhttp://127.0.0.1:9/other\n", encoding="utf-8")
    out = tmp_path / "out"
    first = _run("batch", str(listing), "--skip-invalid", "--allow-private-network",
                 "--out", str(out), "--browser", NO_BROWSER, home=tmp_path, lang="nb_NO.UTF-8")
    assert "Hoppet over: linje 1: «not a url» er ikke en nettadresse." in first.stderr
    assert "Feil: linje 1" not in first.stderr
    assert "1 linje hoppes over (--skip-invalid); 2 adresser arkiveres." in first.stderr
    # the batch was created, then stopped at the browser: unfinished
    assert first.returncode == ExitStatus.ENVIRONMENT, first.stderr
    # resumed without the flags: it goes on as it started (before, it refused the list)
    again = _run("batch", str(listing), "--resume", "--out", str(out), "--browser", NO_BROWSER,
                 home=tmp_path)
    assert ("The batch goes on with the choices it started with: --skip-invalid, "
            "--allow-private-network") in again.stderr, again.stderr
    assert "Skipped: line 1" in again.stderr and "Resuming batch" in again.stderr
    assert again.returncode == ExitStatus.ENVIRONMENT
    # a choice given again wins (nothing to take over for it)
    third = _run("batch", str(listing), "--resume", "--skip-invalid", "--out", str(out),
                 "--browser", NO_BROWSER, home=tmp_path)
    assert "choices it started with: --allow-private-network" in third.stderr


def test_resume_keeps_a_zero(tmp_path: Path) -> None:
    """A batch started with --retries 0 resumes with no retries (0 is a choice, not unset),
    and a 0 given again with --resume wins over a stored number."""
    listing = tmp_path / "list.txt"
    listing.write_text(f"{NOWHERE}\n", encoding="utf-8")
    out = tmp_path / "out"
    first = _run("batch", str(listing), "--retries", "0", "--allow-private-network",
                 "--out", str(out), "--browser", NO_BROWSER, home=tmp_path)
    assert first.returncode == ExitStatus.ENVIRONMENT, first.stderr
    again = _run("batch", str(listing), "--resume", "--out", str(out), "--browser", NO_BROWSER,
                 home=tmp_path)
    assert re.search(r"choices it started with: .*--retries 0", again.stderr), again.stderr
    other = tmp_path / "other.txt"
    other.write_text(f"{NOWHERE}\n", encoding="utf-8")
    third = _run("batch", str(other), "--retries", "3", "--allow-private-network",
                 "--out", str(out), "--browser", NO_BROWSER, home=tmp_path)
    assert third.returncode == ExitStatus.ENVIRONMENT, third.stderr
    fourth = _run("batch", str(other), "--resume", "--retries", "0", "--out", str(out),
                  "--browser", NO_BROWSER, home=tmp_path)
    assert "--retries 3" not in fourth.stderr, fourth.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("C.UTF-8", "Error: “ftp://example.org/f” uses the ftp: scheme, which cannot be archived"),
    ("nb_NO.UTF-8", "Feil: «ftp://example.org/f» bruker adressetypen ftp:, som ikke kan arkiveres"),
    ("nn_NO.UTF-8", "Feil: «ftp://example.org/f» brukar adressetypen ftp:, som ikkje kan "
                    "arkiverast"),
])
def test_address_errors_in_the_locales_language(tmp_path: Path, lang: str,
                                                expected: str) -> None:
    proc = _run("capture", "ftp://example.org/f", home=tmp_path, lang=lang)
    assert proc.returncode == ExitStatus.USAGE
    assert expected in proc.stderr, proc.stderr


def test_verify_speaks_nynorsk(tmp_path: Path) -> None:
    # a package that lost its declaration (a folder with none of a package's files is a usage
    # error: tests/unit/test_verify_usage.py)
    folder = tmp_path / "not-a-package"
    (folder / "data").mkdir(parents=True)
    proc = _run("verify", str(folder), home=tmp_path, lang="nn_NO.UTF-8")
    assert proc.returncode == ExitStatus.VERIFY_FAILED
    assert proc.stdout.splitlines() == [
        f"FEIL    {folder}",
        f"        {folder}: bagit.txt manglar: ikkje ein arkivpakke frå somecapture",
        "        forsegling: forseglinga vart ikkje kontrollert"]


def test_a_batch_for_a_task_queue_may_name_a_profile_only_the_workers_have(
        tmp_path: Path) -> None:
    """Login profiles are never sent through the queue: the workers have their own, so the
    submitting computer need not (it stops at the unreachable queue, not at the profile)."""
    listing = tmp_path / "list.txt"
    listing.write_text(f"{NOWHERE}\n", encoding="utf-8")
    proc = _run("batch", str(listing), "--queue", "redis://127.0.0.1:1/0", "--profile",
                "fb-workers-only", "--out", str(tmp_path / "out"), home=tmp_path)
    assert proc.returncode == ExitStatus.ENVIRONMENT, proc.stderr
    assert "no login profile" not in proc.stderr
