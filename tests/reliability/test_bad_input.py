"""Bad input through the command line: a clear error, no traceback, the contract's exit code.

The invocations that start no browser run in parallel once per module (a subprocess each,
as an archivist would run them); each test then checks its own run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest

from somecapture.cli.status import ExitStatus
from somecapture.package.layout import package_name, slugify
from somecapture.package.verify import verify_package
from tests.fixtures.site.server import FixtureSite
from tests.reliability.helpers import (
    CliRun,
    assert_clear_error,
    cli,
    final_names,
    staging_leftovers,
)

#: an address nothing is asked of: these runs must stop before any capture starts
NOWHERE = "http://127.0.0.1:9/never-contacted"

BAD_URLS: dict[str, str] = {
    "empty": "",
    "blank": "   ",
    "words": "not a url",
    "scheme-only": "http://",
    "no-host": "http:///path-only",
    "no-scheme-colon-slash": "://example.com",
    "space-in-host": "http://exa mple.com/",
    "unclosed-ipv6": "http://[::1",
    "bad-ipv6": "http://[zz::1]/",
    "port-out-of-range": "http://example.com:99999/",
    "port-not-a-number": "http://example.com:port/",
    "control-character": "http://exa\x01mple.com/",
    "line-break": "http://example.com/\nhttp://example.org/",
    "tab": "http://example.com/\tx",
    "credentials": "https://user:secret@example.com/post/1",
    "bidi-override-in-host": "http://example.com\u202e/",
}
NON_WEB: dict[str, str] = {
    "file": "file:///etc/passwd",
    "file-localhost": "file://localhost/etc/passwd",
    "file-uppercase": "FILE:///etc/shadow",
    "file-leading-space": "  file:///etc/passwd",
    "javascript": "javascript:alert(document.cookie)",
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "data-base64": "data:text/html;base64,PGgxPmhpPC9oMT4=",
    "chrome": "chrome://settings",
    "chrome-extension": "chrome-extension://abcdefghijklmnop/x.html",
    "about-blank": "about:blank",
    "about-config": "about:config",
    "view-source": "view-source:https://example.com/",
    "blob": "blob:https://example.com/6c2a3e3e-0000-4000-8000-000000000000",
    "ftp": "ftp://example.com/file.txt",
    "mailto": "mailto:arkiv@example.no",
    "ws": "ws://example.com/socket",
    "gopher": "gopher://example.com/",
}
ENORMOUS: dict[str, str] = {
    "10k-path": "https://example.com/" + "a" * 10_000,
    "60k-query": "https://example.com/?q=" + "ø" * 60_000,
}


def _list_files(tmp: Path) -> dict[str, Path]:
    """The bad list-file corpus, written to ``tmp``."""
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        path = tmp / name
        path.write_bytes(data)
        files[name] = path

    put("empty.txt", b"")
    put("only-comments.txt", b"# a list\n\n   \n# nothing here\n")
    put("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    put("utf16.txt", "https://example.com/a\r\n".encode("utf-16"))
    put("latin1.txt", "https://example.com/bl\u00e5b\u00e6r\n".encode("latin-1"))
    put("csv-unterminated-quote.csv",
        b'url,title\n"https://example.com/a,"Tittel\nhttps://example.com/b,ok\n')
    put("csv-too-many-columns.csv",
        b"url,title\nhttps://example.com/a,En, to og tre\n")
    put("csv-bad-urls.csv",
        b"url;title\nhttps://example.com/ok;ok\nfile:///etc/passwd;lokal\n"
        b"javascript:alert(1);skript\nnot a url;ord\n")
    # a title with line breaks (Excel writes Alt+Enter so): one line is one row here
    put("csv-multiline-title.csv",
        b'url,title\n"https://example.com/a","Linje 1\nLinje 2"\nhttps://example.com/b,ok\n')
    put("text-bad-lines.txt",
        b"https://example.com/ok\nchrome://settings\nhttp://[::1\n")
    put("too-many-urls.txt",
        b"".join(b"https://example.com/p/%d\n" % i for i in range(100_001)))
    huge = tmp / "huge.txt"
    with open(huge, "wb") as fh:  # sparse: 25 MiB on paper, nothing on disk
        fh.truncate(25 * 1024 * 1024)
    files["huge.txt"] = huge
    (tmp / "a-folder").mkdir()
    files["a-folder"] = tmp / "a-folder"
    files["missing.txt"] = tmp / "missing.txt"
    return files


#: list file → what the error must say
LIST_MESSAGES = {
    "empty.txt": "no URLs",
    "only-comments.txt": "no URLs",
    "binary.png": "binary file",
    "utf16.txt": "binary file",
    "latin1.txt": "not UTF-8",
    "csv-unterminated-quote.csv": "line",
    "csv-too-many-columns.csv": "columns",
    "csv-bad-urls.csv": "line 3",
    "csv-multiline-title.csv": "line 2",
    "text-bad-lines.txt": "line 2",
    "too-many-urls.txt": "more than 100,000",
    "huge.txt": "MB",
    "a-folder": "folder",
    "missing.txt": "does not exist",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliRun]:
    """Run every no-browser bad-input invocation once, in parallel."""
    tmp = tmp_path_factory.mktemp("bad-input")
    jobs: dict[str, list[str]] = {}
    # one run per group, all its URLs at once: each URL must get its own error line
    for group, urls in (("bad", BAD_URLS), ("non-web", NON_WEB), ("enormous", ENORMOUS)):
        jobs[f"urls:{group}"] = ["capture", *urls.values(), "--out", str(tmp / f"out-{group}")]
    for name, path in _list_files(tmp).items():
        jobs[f"list:{name}"] = ["batch", str(path), "--out", str(tmp / f"out-list-{name}")]
    for name, out in _unwritable_outputs(tmp).items():
        jobs[f"out:{name}"] = ["capture", NOWHERE, "--out", str(out)]
    jobs["option:timeout-zero"] = ["capture", NOWHERE, "--timeout", "0", "--out",
                                   str(tmp / "o")]
    jobs["option:timeout-text"] = ["capture", NOWHERE, "--timeout", "soon", "--out",
                                   str(tmp / "o")]
    jobs["option:unknown"] = ["capture", NOWHERE, "--no-such-option"]
    jobs["option:proxy"] = ["capture", NOWHERE, "--proxy", "not a proxy", "--out",
                            str(tmp / "o")]
    jobs["option:proxy-port"] = ["capture", NOWHERE, "--proxy", "http://proxy.invalid:99999",
                                 "--out", str(tmp / "o")]
    jobs["option:no-url"] = ["capture"]
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {key: pool.submit(cli, *args, timeout=60) for key, args in jobs.items()}
            runs = {key: f.result() for key, f in futures.items()}
    finally:
        _cleanup_mounts()
    for run in runs.values():
        run.extra["tmp"] = tmp
    return runs


_MOUNTS: list[Path] = []


def _can_mount() -> bool:
    """Root with mount(8), unless SOMECAPTURE_TEST_NO_MOUNT=1 asks for the fallbacks."""
    if os.environ.get("SOMECAPTURE_TEST_NO_MOUNT") == "1":
        return False
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


def _mount_tmpfs(where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode == 0:
        _MOUNTS.append(where)
        return True
    return False


def _cleanup_mounts() -> None:
    while _MOUNTS:
        subprocess.run(["umount", "-l", str(_MOUNTS.pop())], capture_output=True)


def _unwritable_outputs(tmp: Path) -> dict[str, Path]:
    blocker = tmp / "a-file"
    blocker.write_text("not a folder")
    outs = {
        "parent-is-a-file": blocker / "out",
        "is-a-file": blocker,
        "in-proc": Path("/proc/somecapture-out"),
    }
    ro = tmp / "read-only"
    if _can_mount() and _mount_tmpfs(ro, "ro,size=1m"):
        outs["read-only"] = ro / "out"  # a read-only file system
    elif not (hasattr(os, "geteuid") and os.geteuid() == 0):
        ro.mkdir()
        ro.chmod(0o555)
        outs["read-only"] = ro / "out"  # a folder without write permission
    else:  # root without mount(8): chmod does not stop root; /sys does
        outs["read-only"] = Path("/sys/somecapture-out")
    return outs


def _check_usage(run: CliRun, code: ExitStatus = ExitStatus.USAGE) -> None:
    assert run.returncode == code, (run.returncode, run.stderr)
    assert_clear_error(run.stderr)
    assert run.stdout.strip() == "", run.stdout
    assert run.elapsed_s < 30


# -- URLs ------------------------------------------------------------------------------------


def _error_line_for(url: str) -> str:
    """What the error for ``url`` must contain (the URL as shown, or why it was not shown)."""
    raw = url.strip()
    if not raw:
        return "The URL is empty"
    if len(raw) > 8192:
        return f"{len(raw):,} characters long"
    shown = raw if len(raw) <= 120 else raw[:117] + "..."
    # quoted, with what does not print written as its escape (as repr() writes it)
    return "“" + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in shown) + "”"


def _check_group(run: CliRun, group: str, url: str) -> None:
    _check_usage(run)
    assert _error_line_for(url) in run.stderr, (_error_line_for(url), run.stderr[-3000:])
    assert "Nothing was captured" in run.stderr
    assert not (run.extra["tmp"] / f"out-{group}").exists(), "something was started"


@pytest.mark.parametrize("name", list(BAD_URLS))
def test_malformed_url_is_a_usage_error(corpus: dict[str, CliRun], name: str) -> None:
    _check_group(corpus["urls:bad"], "bad", BAD_URLS[name])


@pytest.mark.parametrize("name", list(NON_WEB))
def test_non_web_scheme_is_a_usage_error(corpus: dict[str, CliRun], name: str) -> None:
    run = corpus["urls:non-web"]
    _check_group(run, "non-web", NON_WEB[name])
    scheme = NON_WEB[name].strip().split(":", 1)[0].lower()
    line = next(ln for ln in run.stderr.splitlines() if _error_line_for(NON_WEB[name]) in ln)
    assert f"the {scheme}: scheme" in line and "http" in line, line


@pytest.mark.parametrize("name", list(ENORMOUS))
def test_enormous_url_is_a_usage_error(corpus: dict[str, CliRun], name: str) -> None:
    run = corpus["urls:enormous"]
    _check_group(run, "enormous", ENORMOUS[name])
    assert len(run.stderr) < 3000, "the whole URL was echoed back"


def test_invalid_host_names_are_usage_errors(tmp_path: Path) -> None:
    urls = ["http://..../", "http://a..b/", "http://256.1.1.1/", "http://example.com:0/",
            "https://exa%20mple.com/"]
    # --allow-private-network and a dead proxy: if a browser starts anyway, it resolves and
    # sends nothing
    run = cli("capture", *urls, "--out", str(tmp_path / "out"), "--allow-private-network",
              "--proxy", "http://127.0.0.1:9")
    assert_clear_error(run.stderr)
    assert run.returncode == ExitStatus.USAGE, (run.returncode, run.stderr[-2000:])
    assert not (tmp_path / "out").exists()


# -- list files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LIST_MESSAGES))
def test_bad_list_file_is_a_usage_error(corpus: dict[str, CliRun], name: str) -> None:
    run = corpus[f"list:{name}"]
    _check_usage(run)
    assert LIST_MESSAGES[name] in run.stderr, run.stderr
    assert not (run.extra["tmp"] / f"out-list-{name}").exists(), "something was started"


# -- options and the output folder ---------------------------------------------------------


@pytest.mark.parametrize("name", ["timeout-zero", "timeout-text", "unknown", "proxy",
                                  "proxy-port", "no-url"])
def test_bad_option_is_a_usage_error(corpus: dict[str, CliRun], name: str) -> None:
    run = corpus[f"option:{name}"]
    assert run.returncode == ExitStatus.USAGE, (run.returncode, run.stderr)
    assert_clear_error(run.stderr)


@pytest.mark.parametrize("name", ["in-proc", "read-only"])
def test_unwritable_output_folder_is_an_environment_error(corpus: dict[str, CliRun],
                                                          name: str) -> None:
    run = corpus[f"out:{name}"]
    assert run.returncode == ExitStatus.ENVIRONMENT, (run.returncode, run.stderr)
    assert_clear_error(run.stderr)
    assert "Cannot write to the output folder" in run.stderr, run.stderr


def test_an_output_folder_under_a_file_is_a_usage_error(corpus: dict[str, CliRun]) -> None:
    """``--out afile/out`` cannot be made: a mistake in the command, said before anything
    starts, naming the file in the way (issue 22)."""
    run = corpus["out:parent-is-a-file"]
    assert run.returncode == ExitStatus.USAGE, (run.returncode, run.stderr)
    assert_clear_error(run.stderr)
    assert "is a file, not a folder, so no folder can be made in it" in run.stderr


def test_an_output_folder_that_is_a_file_is_a_usage_error(corpus: dict[str, CliRun]) -> None:
    """``--out`` naming an existing file is a mistake in the command (issue 22): said as one,
    before anything starts, not as the file system's "File exists"."""
    run = corpus["out:is-a-file"]
    assert run.returncode == ExitStatus.USAGE, (run.returncode, run.stderr)
    assert_clear_error(run.stderr)
    assert "this is a file, not a folder; give a folder for the packages" in run.stderr
    assert "File exists" not in run.stderr


# -- a full disk ---------------------------------------------------------------------------

#: fill point → (page, ballast written first on the tmpfs, RLIMIT_FSIZE for the fallback)
_FILLS = {
    # a 200 KiB page: the WARC cannot fit while recording
    "while-recording": ("/fault/big-html?mb=0.2", 0, 60 * 1024),
    # WARC (~21 KiB) and screenshot (~12 KiB) fit; the PDF (~45 KiB) does not
    "while-packaging": ("/gzip/page", 24 * 1024, 32 * 1024),
}


def _capture_with_file_size_limit(url: str, out: Path, limit: int, state: Path) -> CliRun:
    """The CLI with RLIMIT_FSIZE set on its own process once the browser runs (so the browser
    is not limited) and SIGXFSZ ignored: writes past ``limit`` fail with EFBIG, as on a full
    disk. ``state``: a fresh log folder (the log file must not hit the limit itself)."""
    code = ("import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "from somecapture.cli.main import main; sys.exit(main(sys.argv[1:]))")
    args = ["capture", url, "--out", str(out), "--allow-private-network"]
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "XDG_STATE_HOME": str(state)})
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("Browser:"):
            psutil.Process(proc.pid).rlimit(psutil.RLIMIT_FSIZE, (limit, limit))
            break
    out_text, rest = proc.communicate(timeout=120)
    return CliRun(args, proc.returncode, out_text, "".join(lines) + rest,
                  time.monotonic() - t0)


@pytest.fixture(scope="module")
def full_disk(fault_site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, tuple[CliRun, Path, str]]:
    """Capture onto a full disk at two moments: a real small tmpfs when this process may
    mount one, else a file-size limit (EFBIG) on the CLI process."""
    def one(fill: str) -> tuple[CliRun, Path, str]:
        path, ballast, limit = _FILLS[fill]
        where = tmp_path_factory.mktemp(f"disk-{fill}") / "disk"
        out = where / "out"
        if _can_mount() and _mount_tmpfs(where, "size=96k"):
            try:
                if ballast:
                    (where / "ballast").write_bytes(b"\0" * ballast)
                run = cli("capture", fault_site.url(path), "--out", str(out),
                          "--allow-private-network", timeout=120)
                run.extra["final"], run.extra["staging"] = (final_names(out),
                                                            staging_leftovers(out))
            finally:
                subprocess.run(["umount", "-l", str(where)], capture_output=True)
                if where in _MOUNTS:
                    _MOUNTS.remove(where)
            return run, out, "tmpfs"
        where.mkdir(parents=True)
        run = _capture_with_file_size_limit(fault_site.url(path), out, limit,
                                            where.parent / "state")
        run.extra["final"], run.extra["staging"] = final_names(out), staging_leftovers(out)
        return run, out, "rlimit"

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {fill: pool.submit(one, fill) for fill in _FILLS}
        return {fill: f.result() for fill, f in futures.items()}




@pytest.mark.browser
@pytest.mark.parametrize("fill", ["while-recording", "while-packaging"])
def test_full_disk_is_failed_and_publishes_nothing(
        full_disk: dict[str, tuple[CliRun, Path, str]], fill: str) -> None:
    run, _out, how = full_disk[fill]
    assert run.returncode == ExitStatus.FAILED, (how, run.returncode, run.stderr[-3000:])
    assert_clear_error(run.stderr)
    assert run.extra["final"] == [], "something was published on a full disk"
    assert run.extra["staging"] == [], "staging was not cleaned up"


@pytest.mark.browser
@pytest.mark.parametrize("fill", list(_FILLS))
def test_full_disk_message_names_the_disk(
        full_disk: dict[str, tuple[CliRun, Path, str]], fill: str) -> None:
    run, _out, _how = full_disk[fill]
    assert re.search(r"No space left on device|File too large", run.stderr), run.stderr
    assert "bug in somecapture" not in run.stderr, run.stderr[-2000:]


# -- names: IDN, Unicode, long URLs, path traversal and reserved names -------------------------

_SAFE_NAME = re.compile(r"^\d{8}T\d{6}Z-[a-z0-9][a-z0-9-]*[a-z0-9](-\d+)?$")
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {
    f"lpt{i}" for i in range(10)}


def _names_batch_rows(site: FixtureSite) -> list[tuple[str, str]]:
    port = site.port
    base = site.base
    return [
        (f"http://blåbær.localhost:{port}/fault/echo/idn", "IDN-vert"),
        (f"{base}/fault/echo/æøå/日本語/🙂?q=søk&emoji=🙂#kommentar-ø", "Unicode-sti"),
        (f"{base}/fault/echo/%E2%80%AEexe.txt", "\u202eexe.txt"),
        (f"{base}/fault/echo/..%2F..%2F..%2Fetc%2Fpasswd", "../../../../etc/passwd"),
        (f"{base}/fault/x/../echo/../../fault/echo/etc/shadow", "/etc/shadow"),
        (f"{base}/fault/echo/CON", "CON"),
        (f"{base}/fault/echo/nul.txt", "nul.txt"),
        (f"{base}/fault/echo/COM1", "..\\..\\Windows\\System32\\COM1"),
        (f"{base}/fault/echo/lpt9?title=AUX", "AUX; \"sitat\", komma og semikolon"),
        (f"{base}/fault/echo/long?q=" + "x" * 7800, "lang URL"),
    ]


@pytest.fixture(scope="module")
def names_batch(fault_site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[CliRun, Path, list[tuple[str, str]]]:
    tmp = tmp_path_factory.mktemp("names")
    rows = _names_batch_rows(fault_site)
    lines = ["url,title"] + [
        f'"{u}","' + t.replace('"', '""') + '"' for u, t in rows]
    listing = tmp / "list.csv"
    listing.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp / "out"
    run = cli("batch", str(listing), "--out", str(out), "--allow-private-network", "--json",
              "--concurrency", "4", "--retries", "0", timeout=240)
    return run, out, rows


@pytest.mark.browser
def test_unicode_idn_long_and_odd_names_are_captured_safely(
        names_batch: tuple[CliRun, Path, list[tuple[str, str]]]) -> None:
    run, out, rows = names_batch
    assert run.returncode == ExitStatus.OK, (run.returncode, run.stderr[-3000:])
    results = run.json()["results"]
    assert len(results) == len(rows)
    assert all(r["status"] == "complete" for r in results), results
    packages = [Path(r["package"]) for r in results]
    assert sorted(packages) == [p for p in final_names(out) if p.is_dir()]
    assert all(p.name.startswith("batch-report-") for p in final_names(out) if not p.is_dir())
    parent = out.parent
    assert sorted(p.name for p in parent.iterdir()) == sorted(
        ["list.csv", "out", *[p.name for p in parent.iterdir() if p.suffix == ".sqlite"]]
    ), "a file appeared outside the output folder"
    for package in packages:
        assert package.parent == out
        name = package.name
        assert _SAFE_NAME.match(name), name
        assert len(name.encode()) <= 120, name
        assert name.split("-", 1)[1] not in _RESERVED
        assert verify_package(package).ok
    by_title: dict[str, dict[str, Any]] = {}
    for package in packages:
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
        by_title[meta["record"]["title"]] = meta
        info = (package / "bag-info.txt").read_text("utf-8")
        assert all(": " in line for line in info.splitlines()), info  # one line per field
    # every title kept exactly (it is metadata, never part of a path)
    assert sorted(by_title) == sorted(t for _u, t in rows)
    idn = by_title["IDN-vert"]
    assert "xn--" in idn["url"] and (idn["final_url"] or "").startswith("http://xn--")
    assert "blåbær" not in (idn["final_url"] or "")
    unicode_path = by_title["Unicode-sti"]
    assert "%C3%A6%C3%B8%C3%A5" in unicode_path["url"]  # æøå, as the browser sends it


_SLUG_CORPUS = [
    "", ".", "..", "../..", "../../etc/passwd", "..\\..\\windows", "/", "//", "CON", "con",
    "Nul", "aux.txt", "COM1", "com¹", "LPT9", "prn.", " CON ", "\x00", "a\x00b", "\u202egnp.exe",
    "日本語", "🙂🙂", "æøå" * 100, "a/b\\c:d*e?f\"g<h>i|j", "~", "$HOME", "%2e%2e%2f",
]


@pytest.mark.parametrize("text", _SLUG_CORPUS, ids=[
    (t.encode("unicode_escape").decode("ascii")[:24] or "empty") for t in _SLUG_CORPUS])
def test_slug_is_a_safe_file_name(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"[a-z0-9-]*", slug), slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slug not in _RESERVED and len(slug) <= 60
    from datetime import UTC, datetime

    name = package_name(f"https://example.com/{text}", datetime(2026, 1, 1, tzinfo=UTC))
    assert _SAFE_NAME.match(name), name


def test_interrupt_is_exit_130_without_traceback(tmp_path: Path) -> None:
    """Ctrl-C while a capture runs: exit 130, a clear line, nothing published."""
    with FixtureSite() as site:
        proc = subprocess.Popen(
            [sys.executable, "-m", "somecapture", "capture", site.url("/slow?ms=20000"),
             "--out", str(tmp_path / "out"), "--allow-private-network"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("[1/1]"):
                break
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out_text, err = proc.communicate(timeout=60)
    assert proc.returncode == ExitStatus.INTERRUPTED, (proc.returncode, err)
    assert_clear_error(err)
    assert final_names(tmp_path / "out") == []
