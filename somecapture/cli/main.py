"""The ``somecapture`` command: parse, build options, run the engine, map the result to an exit
status. No capture logic lives here."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from somecapture._version import __version__
from somecapture.cli.console import Console, write_line
from somecapture.cli.status import (
    ExitStatus,
    status_for_batch,
    status_for_error,
    status_for_results,
)
from somecapture.cli.watch_cmd import add_watch_parser, cmd_watch
from somecapture.config import load_config
from somecapture.errors import InvalidURLError, OptionsError, SomecaptureError
from somecapture.logsetup import setup_logging
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions, RecordOptions, redact_url_credentials
from somecapture.redact import HeaderRedactor

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse with our exit status for usage errors and a hint line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # the message quotes what was typed: cleaned like every other line
        write_line(sys.stderr, f"somecapture: error: {message}")
        write_line(sys.stderr, f"Run '{self.prog} --help' for the options.")
        raise SystemExit(ExitStatus.USAGE)


def _add_capture_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="folder for packages (default: 'somecapture' in your Documents folder)")
    p.add_argument("--proxy", metavar="URL", help="proxy for all traffic, e.g. http://proxy:8080")
    p.add_argument("--ignore-https-errors", action="store_true",
                   help="accept untrusted TLS certificates (agency TLS-inspection proxies)")
    p.add_argument("--browser", metavar="PATH",
                   help="browser executable to use (default: find Chrome, Edge or Chromium)")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="overall budget per capture (default 600)")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object with the results instead of text")
    p.add_argument("-q", "--quiet", action="store_true", help="print only package paths")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="agency config file (default: config.toml in your config folder)")
    p.add_argument("--profile", metavar="NAME",
                   help="capture logged in with this login profile (see 'somecapture login')")
    p.add_argument("--also-public", action="store_true",
                   help="with --profile: also capture the logged-out view into the package")
    p.add_argument("--allow-private-network", action="store_true",
                   help="let the page reach private/local addresses (intranet pages); "
                   "blocked by default")
    p.add_argument("--keep-credentials", action="store_true",
                   help="keep session cookies and tokens in the archive (normally redacted); "
                   "recorded in the provenance")
    p.add_argument("--timestamp-url", action="append", metavar="URL",
                   help="RFC 3161 time-stamp authority that seals each package (repeat for "
                   "more; default: [timestamp] urls in the config)")
    p.add_argument("--no-timestamp", action="store_true",
                   help="do not seal the packages with trusted timestamps")
    rec = p.add_argument_group("records system (Noark 5)")
    rec.add_argument("--title", help="registration title (default: platform, author, first "
                     "words of the post)")
    rec.add_argument("--case", metavar="SAKSNUMMER",
                     help="the case (saksmappe), e.g. 2024/123 or the records system's reference")
    rec.add_argument("--archivist", help="who archives it (default: config, else your user name)")
    rec.add_argument("--arkivnotat", action="store_true",
                     help="register as arkivnotat (archived, not journalført)")
    rec.add_argument("--screening", metavar="HJEMMEL",
                     help="screen the registration with this legal basis, "
                     "e.g. 'Offl. § 13 jf. fvl. § 13'")
    rec.add_argument("--access-code", metavar="CODE",
                     help="access code (tilgangsrestriksjon); default: the § number of --screening")
    rec.add_argument("--journalposttype", choices=["I", "U"],
                     help="I (incoming) or U (outgoing); default: U for the agency's own accounts")
    rec.add_argument("--arkivmelding", choices=["eformidling", "fiks", "none"],
                     help="arkivmelding variant to write (default: eformidling)")
    rec.add_argument("--note", help="a note kept in the metadata")
    scr = p.add_argument_group("personvern (the screened variant for access requests)")
    scr.add_argument("--screen-text", action="store_true", default=None,
                     help="in the screened variant, withhold private persons' texts too "
                     "(default: names, handles, avatars and identity numbers only)")
    scr.add_argument("--no-screened-variant", dest="screened_variant", action="store_false",
                     default=None,
                     help="make no screened variant (default: one whenever the thread has "
                     "persons other than the agency's own accounts)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used for the README's usage text)."""
    parser = _Parser(
        prog="somecapture",
        description="Archive social-media posts in context: WARC, screenshot and metadata "
        "in a verified BagIt package for Noark 5 records systems.",
    )
    parser.add_argument("--version", action="version", version=f"somecapture {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    cap = sub.add_parser("capture", help="capture one or more URLs into packages",
                         description="Capture each URL into its own package.")
    cap.add_argument("urls", nargs="+", metavar="URL", help="address of the post or page")
    _add_capture_options(cap)

    bat = sub.add_parser("batch", help="capture every URL of a list file (resumable)",
                         description="Capture every URL of a list file: plain text (one URL "
                         "per line, # comments) or CSV with a 'url' column and optional "
                         "title, case, archivist, note columns.")
    bat.add_argument("list_file", type=Path, metavar="FILE", help="the list file")
    bat.add_argument("--concurrency", type=int, metavar="N",
                     help="captures at the same time (default: suited to this machine)")
    bat.add_argument("--retries", type=int, default=2, metavar="N",
                     help="extra attempts for transient failures (default 2)")
    bat.add_argument("--resume", action="store_true",
                     help="finish an interrupted batch of this list (nothing is captured twice)")
    bat.add_argument("--new", action="store_true",
                     help="start a new batch even if an unfinished one of this list exists")
    bat.add_argument("--skip-invalid", action="store_true",
                     help="capture the valid lines even if some lines are not usable")
    bat.add_argument("--queue", metavar="redis://HOST:PORT/DB",
                     help="hand the captures to 'somecapture worker' processes through this "
                     "task queue (a Redis server) instead of capturing here; --out is the "
                     "shared folder the workers publish into")
    _add_capture_options(bat)

    wrk = sub.add_parser("worker", help="capture the jobs of distributed batches (--queue)",
                         description="Take capture jobs from a task queue (batches run with "
                         "--queue) and capture them here: one browser, a fresh context per "
                         "capture, packages published into --out (normally the shared "
                         "folder). SIGTERM or Ctrl-C stops it after the captures in "
                         "progress; a second Ctrl-C hands them back to the queue at once.")
    wrk.add_argument("--queue", required=True, metavar="redis://HOST:PORT/DB",
                     help="the task queue (the Redis server the batches are sent to)")
    wrk.add_argument("--concurrency", type=int, default=1, metavar="N",
                     help="captures at the same time in this worker's browser (default 1)")
    wrk.add_argument("--redeliver-after", type=float, default=30.0, metavar="SECONDS",
                     help="hand out again the job of a worker silent this long (killed, "
                     "machine gone); give every worker the same value (default 30)")
    wrk.add_argument("--allow-private-network", action="store_true",
                     help="capture jobs of batches given --allow-private-network (pages on "
                     "this network's private addresses); refused otherwise")
    wrk.add_argument("--ignore-https-errors", action="store_true",
                     help="capture jobs of batches given --ignore-https-errors; refused "
                     "otherwise")
    wrk.add_argument("--allow-keep-credentials", action="store_true",
                     help="capture jobs of batches given --keep-credentials; refused "
                     "otherwise")
    wrk.add_argument("--stale-claim-after", type=float, default=120.0, metavar="SECONDS",
                     help="take over another computer's claim of an item that names no "
                     "package after it has not changed this long (its publisher died "
                     "between claim and rename; default 120)")
    wrk.add_argument("--out", type=Path, metavar="DIR",
                     help="folder for packages: the shared folder the batches expect "
                     "(default: the config's, else 'somecapture' in your Documents folder)")
    wrk.add_argument("--browser", metavar="PATH",
                     help="browser executable to use (default: find Chrome, Edge or Chromium)")
    wrk.add_argument("--proxy", metavar="URL",
                     help="this computer's proxy for captured pages (never sent through "
                     "the queue; default: the config's, else the system's)")
    wrk.add_argument("--config", type=Path, metavar="FILE",
                     help="this computer's config file (output folder, browser, proxy, "
                     "time-stamp authorities)")
    wrk.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    ver = sub.add_parser("verify", help="re-check packages (checksums, WARC, seal)",
                         description="Re-check packages: bag checksums, WARC digests, what "
                         "the files say about each other, and the seal (RFC 3161 time "
                         "stamps over tagmanifest-sha256.txt). An unsealed package is said "
                         "so; it fails only with --require-seal.")
    ver.add_argument("packages", nargs="*", type=Path, metavar="PACKAGE",
                     help="package folder")
    ver.add_argument("--all", action="store_true",
                     help="verify every published package in the catalogue (and compare "
                     "each with the tag manifest and time stamps recorded at publication)")
    ver.add_argument("--trust", action="append", type=Path, default=[], metavar="CAFILE",
                     help="PEM file of trusted time-stamp authority roots: each token's "
                     "chain must end in one (repeatable; default: [timestamp] trust in the "
                     "config)")
    ver.add_argument("--config", type=Path, metavar="FILE",
                     help="agency config file (default: config.toml in your config folder)")
    ver.add_argument("--require-seal", action="store_true",
                     help="fail a package that carries no time stamp")
    ver.add_argument("--json", action="store_true", help="print JSON")

    exp = sub.add_parser("export", help="export a verified package as a WACZ file",
                         description="Export a package as a WACZ 1.1.1 file (for ReplayWeb.page, "
                         "pywb and other web-archive tools). Only a package that passes "
                         "verify is exported.")
    exp.add_argument("package", type=Path, metavar="PACKAGE", help="package folder")
    exp.add_argument("--wacz", type=Path, metavar="FILE", required=True,
                     help="the WACZ file to write (name ending in .wacz)")
    exp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exp.add_argument("--timestamp-url", action="append", metavar="URL",
                     help="RFC 3161 time-stamp authority that stamps the WACZ of a sealed "
                     "package (repeat for more; default: [timestamp] urls in the config)")
    exp.add_argument("--no-timestamp", action="store_true",
                     help="do not stamp the WACZ with trusted timestamps")
    exp.add_argument("--config", type=Path, metavar="FILE",
                     help="agency config file (default: config.toml in your config folder)")
    exp.add_argument("--json", action="store_true", help="print JSON")

    lst = sub.add_parser("list", help="list captures from the catalogue",
                         description="List captures recorded in the catalogue, newest first.")
    lst.add_argument("--search", metavar="TEXT", help="match URL, title, author, handle, case")
    lst.add_argument("--status", choices=["complete", "partial", "failed"])
    lst.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    lst.add_argument("--json", action="store_true", help="print JSON")

    log_in = sub.add_parser("login", help="log in to a platform in a visible browser profile",
                            description="Open a visible browser on the login profile NAME. "
                            "Log in by hand, then close the window. somecapture never sees "
                            "or stores your password; the profile keeps the session.")
    log_in.add_argument("name", metavar="NAME", help="profile name, e.g. facebook-oslokommune")
    log_in.add_argument("--url", help="page to open, e.g. https://www.facebook.com/login")
    log_in.add_argument("--browser", metavar="PATH", help="browser executable to use")

    prof = sub.add_parser("profiles", help="list login profiles (or delete one)")
    prof.add_argument("--delete", metavar="NAME", help="delete this profile and its session")
    prof.add_argument("--json", action="store_true", help="print JSON")

    cfg = sub.add_parser("config", help="show the config file's path and the agency defaults")
    cfg.add_argument("--config", type=Path, metavar="FILE", help="config file to read")

    add_watch_parser(sub, _Parser, _add_capture_options)

    sub.add_parser("gui", help="open the desktop app",
                   description="Open the desktop app (needs PySide6: pip install "
                   "'somecapture[gui]').")
    return parser


def options_from_args(args: argparse.Namespace) -> CaptureOptions:
    """Capture options from the command line over the config file's defaults."""
    cfg = load_config(args.config)
    record = cfg.record_defaults().merged(
        title=args.title, case=args.case, archivist=args.archivist,
        arkivnotat=True if args.arkivnotat else None, screening=args.screening,
        access_code=args.access_code, journalposttype=args.journalposttype,
        arkivmelding=args.arkivmelding, note=args.note,
        screened_variant=args.screened_variant, screen_text=args.screen_text,
    )
    changes: dict[str, Any] = {"record": record}
    out_dir = args.out if args.out is not None else cfg.out_dir
    if out_dir is not None:
        changes["out_dir"] = out_dir
    if args.proxy or cfg.proxy:
        changes["proxy"] = args.proxy or cfg.proxy
    if args.ignore_https_errors or cfg.ignore_https_errors:
        changes["ignore_https_errors"] = True
    if args.browser or cfg.browser:
        changes["browser_path"] = args.browser or cfg.browser
    if args.timeout is not None:
        changes["capture_timeout_s"] = args.timeout
    if args.profile:
        changes["profile"] = args.profile
    if args.also_public:
        changes["also_public"] = True
    if args.keep_credentials:
        changes["keep_credentials"] = True
    if args.allow_private_network:
        changes["allow_private_network"] = True
    if args.no_timestamp and args.timestamp_url:
        raise OptionsError("--no-timestamp and --timestamp-url contradict each other; "
                           "give one.")
    changes["timestamp_urls"] = tuple(args.timestamp_url or cfg.timestamp_urls)
    changes["timestamp"] = not args.no_timestamp
    return CaptureOptions(**changes)


def _registration_notes(record: RecordOptions, console: Console) -> None:
    """Print what the arkivmelding will lack because nothing was configured or given."""
    from somecapture.package.record import registration_notes

    for note in registration_notes(record):
        console.info(f"Note: {note}")


def _seal_note(options: CaptureOptions, console: Console) -> None:
    """Say once, before capturing, that the packages will not be sealed, and why."""
    from somecapture.package.seal import SealConfig

    seal = SealConfig.from_options(options)
    if not seal.active:
        console.info(f"Note: the packages will not be sealed with a trusted timestamp: "
                     f"{seal.unsealed_reason()}.")


def _cmd_capture(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.engine.browser import BrowserSession
    from somecapture.inputs import normalize_url
    from somecapture.pipeline import CapturePipeline, out_dir_for, warm_packaging

    warm_packaging()  # loads while the options are checked and the browser starts
    options = options_from_args(args)
    bad: list[str] = []
    for url in args.urls:
        try:
            normalize_url(url)
        except InvalidURLError as exc:
            bad.append(str(exc))
    if bad:
        for message in bad:
            console.error(message)
        console.error("Nothing was captured. Fix the URL(s) above and try again.")
        return ExitStatus.USAGE
    from somecapture.package.bag import prepare_out_dir

    prepare_out_dir(out_dir_for(options).expanduser().resolve())
    console.info(f"Packages go to: {out_dir_for(options)}")
    _registration_notes(options.record, console)
    _seal_note(options, console)

    async def run() -> list[CaptureResult]:
        results: list[CaptureResult] = []
        async with BrowserSession(options) as session:
            console.info(f"Browser: {session.choice.describe() if session.choice else '?'} "
                         f"(version {session.version})")
            capturer = CapturePipeline(session, options, console.on_event)
            # the address as it will be stored: a token in it is not echoed to the terminal
            shown = HeaderRedactor(enabled=not options.keep_credentials,
                                   learn_secrets=options.profile is not None)
            for index, url in enumerate(args.urls, 1):
                console.begin(index, len(args.urls), shown.url(url, count=False))
                results.append(await capturer.capture(url))
        return results

    results = asyncio.run(run())
    for result in results:
        console.result(result)
    if args.json:
        console.json({"results": [r.to_json() for r in results]})
    return status_for_results(results)


def _cmd_batch(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.batch import BatchOptions, BatchRunner, open_batch
    from somecapture.batchinput import read_list_file

    if args.resume and args.new:
        console.error("--resume and --new contradict each other; give one.")
        return ExitStatus.USAGE
    queue = None
    if args.queue is not None:
        from somecapture.distributed.address import parse_queue_url

        queue = parse_queue_url(args.queue)  # a bad address: USAGE, nothing started
    parsed = read_list_file(args.list_file)
    for dup in parsed.duplicates:
        console.info(f"line {dup.line}: same URL as line {dup.first_line}; captured once "
                     f"({dup.url})")
    if parsed.problems:
        for problem in parsed.problems:
            console.error(str(problem))
        if not args.skip_invalid:
            console.error(f"{len(parsed.problems)} problem(s) in {args.list_file}; nothing was "
                          "started. Fix the lines above, or add --skip-invalid to capture the "
                          f"{len(parsed.items)} valid URL(s).")
            return ExitStatus.USAGE
    if not parsed.items:
        console.error(f"{args.list_file} has no usable URLs.")
        return ExitStatus.USAGE
    options = options_from_args(args)
    batch_options = BatchOptions(retries=args.retries, **(
        {"concurrency": args.concurrency} if args.concurrency is not None else {}))
    runner: BatchRunner
    if queue is not None:
        from somecapture.distributed.store import check_reachable
        from somecapture.distributed.submit import QueuedBatchRunner

        check_reachable(queue)  # before the batch is created: nothing left to resume
        runner = QueuedBatchRunner(options, batch_options, console.on_batch_event, queue=queue)
    else:
        runner = BatchRunner(options, batch_options, console.on_batch_event)
    # an unfinished batch without --resume or --new, a --resume with nothing to resume, or a
    # local --resume of a batch sent to a queue, raises an InputError: main() prints it and
    # exits with USAGE
    opened = open_batch(runner, parsed, args.list_file, resume=args.resume, new=args.new)
    batch_id = opened.batch_id
    if opened.resumed:
        console.info(f"Resuming batch {batch_id[:8]} of {args.list_file}")
    elif queue is not None:
        console.info(f"Batch {batch_id[:8]}: {len(parsed.items)} URL(s) to the queue at "
                     f"{queue.shown}; the workers publish into their output folder, expected "
                     f"here as {runner.out_dir}")
    else:
        console.info(f"Batch {batch_id[:8]}: {len(parsed.items)} URL(s), concurrency "
                     f"{batch_options.concurrency}, packages go to {runner.out_dir}")
    if queue is not None and args.concurrency is not None:
        console.info("Note: --concurrency is the workers' own (somecapture worker "
                     "--concurrency N); it is not used here.")
    # rows of a CSV list may carry their own case: the note on a missing case names the rows
    without_case = [i for i in parsed.items if not i.case]
    if options.record.case or len(without_case) in (0, len(parsed.items)):
        _registration_notes(options.record.merged(case="(per row)") if not without_case
                            else options.record, console)
    else:
        _registration_notes(options.record.merged(case="(per row)"), console)
        console.info(f"Note: {len(without_case)} of {len(parsed.items)} rows have no case: "
                     "for those the arkivmelding asks the records system for a new case "
                     "folder (saksmappe). Fill in the list's case column, or give --case.")
    _seal_note(options, console)
    try:
        result = asyncio.run(runner.run(batch_id))
    except KeyboardInterrupt:
        console.end_progress()
        if queue is not None:
            console.error("Interrupted. The workers go on with the jobs already sent; run the "
                          "same command with --resume to collect their results (and send "
                          "the rest).")
        else:
            console.error("Interrupted. Finished captures are kept; run the same command with "
                          "--resume to capture the rest.")
        return ExitStatus.INTERRUPTED
    console.end_progress()
    console.info(f"Done: {result.count('complete')} complete, {result.count('partial')} "
                 f"partial, {result.count('failed')} failed of {len(result.items)}.")
    console.info(f"Report: {result.report_csv} and {result.report_json}")
    for item in result.items:
        if item.status == "failed":
            console.error(f"line {item.line}: {item.url}: {item.error}")
    if args.json:
        console.json({"batch_id": result.batch_id,
                      "results": [i.to_json() for i in result.items]})
    else:
        for item in result.items:
            if item.package:
                console.say(item.package)
    return status_for_batch(result)


def _cmd_worker(args: argparse.Namespace, console: Console) -> ExitStatus:
    import signal

    from somecapture.distributed.address import parse_queue_url
    from somecapture.distributed.store import require_engine
    from somecapture.distributed.worker import QueueWorker

    address = parse_queue_url(args.queue)
    require_engine()
    cfg = load_config(args.config)
    changes: dict[str, Any] = {"timestamp_urls": tuple(cfg.timestamp_urls)}
    out_dir = args.out if args.out is not None else cfg.out_dir
    if out_dir is not None:
        changes["out_dir"] = out_dir
    if args.browser or cfg.browser:
        changes["browser_path"] = args.browser or cfg.browser
    if args.proxy or cfg.proxy:
        changes["proxy"] = args.proxy or cfg.proxy
    worker = QueueWorker(address, CaptureOptions(**changes), concurrency=args.concurrency,
                         redeliver_after_s=args.redeliver_after,
                         stale_claim_s=args.stale_claim_after,
                         allowed=frozenset(name for name, on in (
                             ("allow_private_network", args.allow_private_network),
                             ("ignore_https_errors", args.ignore_https_errors),
                             ("keep_credentials", args.allow_keep_credentials)) if on),
                         say=console.info)

    def stop(_signum: int, _frame: Any) -> None:
        worker.request_stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return ExitStatus.OK


def _cmd_verify(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.catalog import Catalog, published_files, published_seal_for
    from somecapture.package.seal_verify import PublishedSeal
    from somecapture.package.verify import verify_package

    packages: list[Path] = list(args.packages)
    published: dict[Path, PublishedSeal] = {}
    if args.all:
        catalog = Catalog()
        for e in catalog.entries():
            if not e.package_path or e.status == "failed":
                continue
            packages.append(Path(e.package_path))
            # the seal recorded at publication (packages published before the seal have none)
            seal = catalog.seal(e.capture_id)
            expected = (PublishedSeal.from_json(seal, published_files(catalog, e.capture_id))
                        if seal is not None else None)
            if expected is not None:
                published[Path(e.package_path)] = expected
    if not packages:
        console.error("Nothing to verify: give package folders, or --all for the catalogue.")
        return ExitStatus.USAGE
    missing = [t for t in args.trust if not t.is_file()]
    if missing:
        console.error(f"The trust store {missing[0]} does not exist: give a PEM file of the "
                      "time-stamp authorities' root certificates with --trust.")
        return ExitStatus.USAGE
    # the config's trust store when none is given (checked: a bad one is an OptionsError)
    trust = args.trust or list(load_config(args.config).trust_files())
    status = ExitStatus.OK
    report = []
    for path in packages:
        # a package named on the command line is compared with the catalogue too, as the
        # app does: a re-hashed or stripped package is caught before any timestamp
        check = verify_package(path, trust=trust, require_seal=args.require_seal,
                               published=published.get(path) or published_seal_for(path))
        report.append(check.to_json())
        if check.ok:
            console.say(f"OK      {path}")
        else:
            status = ExitStatus.VERIFY_FAILED
            console.say(f"FAILED  {path}")
            for problem in check.problems:
                console.say(f"        {problem}")
        console.say(f"        seal: {check.seal_summary}")
        for note in check.notes:
            console.say(f"        note: {note}")
    if args.json:
        console.json({"results": report})
    return status


def _cmd_export(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.catalog import published_seal_for
    from somecapture.errors import DiskError
    from somecapture.package.seal import SealConfig
    from somecapture.package.wacz import PackageNotVerifiedError, export_wacz

    if args.no_timestamp and args.timestamp_url:
        raise OptionsError("--no-timestamp and --timestamp-url contradict each other; "
                           "give one.")
    cfg = load_config(args.config)
    urls = tuple(args.timestamp_url or cfg.timestamp_urls)
    CaptureOptions(timestamp_urls=urls)  # the capture's own checks of the addresses
    seal = SealConfig.for_agency(cfg, urls, disabled_reason="time stamps were turned off "
                                 "(--no-timestamp)" if args.no_timestamp else None)
    try:
        done = export_wacz(args.package, args.wacz, force=args.force, seal=seal,
                           trust=cfg.trust_files(), published=published_seal_for(args.package))
    except PackageNotVerifiedError as exc:
        # the verify exit status: the package, not the command line, is what is wrong
        console.error(str(exc), multiline=True)
        return ExitStatus.VERIFY_FAILED
    except DiskError as exc:
        console.error(str(exc), multiline=True)
        return ExitStatus.ENVIRONMENT
    if args.json:
        console.json({"wacz": str(done.path), "bytes": done.bytes, "sha256": done.sha256,
                      "package": str(args.package), "page_url": done.page_url,
                      "page_ts": done.page_ts, "indexed_records": done.indexed_records,
                      "seal_tokens": list(done.seal_tokens),
                      "stamps": done.stamps_json(),
                      "stamp_note": done.stamp_note})
    else:
        console.say(str(done.path))
        sealed = (f"; the package's {len(done.seal_tokens)} time-stamp token(s) included"
                  if done.seal_tokens else "")
        console.info(f"WACZ written from the verified package: {done.indexed_records} "
                     f"records indexed, page {done.page_url} at {done.page_ts}{sealed}.")
    if done.stamp_note:
        console.info(f"Note: {done.stamp_note}.")
    made = sum(1 for t in done.stamps if t.ok)
    if made:
        console.info(f"The WACZ is stamped: {made} of {len(done.stamps)} time stamp(s) over "
                     "datapackage.json, in datapackage-digest.json.")
    for problem in done.stamp_problems:
        console.error(f"{problem}. The WACZ was written without it; export again to stamp it.")
    return ExitStatus.PARTIAL if done.stamp_problems else ExitStatus.OK


def _cmd_list(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.catalog import Catalog

    entries = Catalog().entries(search=args.search, status=args.status, limit=args.limit)
    if args.json:
        console.json({"captures": [e.to_json() for e in entries]})
        return ExitStatus.OK
    if not entries:
        console.say("No captures recorded yet.")
    for e in entries:
        when = e.captured_at.replace("T", " ")[:16]
        who = e.author or e.handle or "-"
        console.say(f"{when}  {e.status:<8} {e.platform or '-':<10} {who[:24]:<24} "
                    f"{(e.title or e.url)[:60]}")
        console.say(f"{'':18}{e.package_path or '(no package: ' + (e.error or '') + ')'}")
    return ExitStatus.OK


def _cmd_login(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.engine.login import login
    from somecapture.inputs import normalize_url
    from somecapture.profiles import check_profile_name

    check_profile_name(args.name)
    url = normalize_url(args.url) if args.url else None
    cfg = load_config(None)
    options = CaptureOptions(browser_path=args.browser or cfg.browser, proxy=cfg.proxy)
    console.info(f"Opening a browser window for profile {args.name!r}. Log in there, then "
                 "close the window.")
    info = asyncio.run(login(args.name, url, options))
    console.say(f"Profile {info.name} saved in {info.path}")
    console.info(f"Capture logged in with: somecapture capture URL --profile {info.name}")
    return ExitStatus.OK


def _cmd_profiles(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.profiles import delete_profile, list_profiles

    if args.delete:
        delete_profile(args.delete)
        console.say(f"Deleted profile {args.delete} (its cookies and session are gone).")
        return ExitStatus.OK
    profiles = list_profiles()
    if args.json:
        console.json({"profiles": [
            {"name": p.name, "path": str(p.path), "created_at": p.created_at,
             "last_used_at": p.last_used_at, "login_url": p.login_url} for p in profiles]})
        return ExitStatus.OK
    if not profiles:
        console.say("No login profiles yet. Create one with: somecapture login NAME --url URL")
    for p in profiles:
        console.say(f"{p.name:<32} created {p.created_at or '-':<26} last used "
                    f"{p.last_used_at or '-'}")
    return ExitStatus.OK


def _cmd_config(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.config import config_path

    cfg = load_config(args.config)
    path = args.config or config_path()
    console.say(f"Config file: {path} ({'found' if cfg.path else 'not created yet'})")
    for key in ("organisation", "organisation_number", "arkivdel", "archivist", "arkivmelding",
                "out_dir", "proxy", "browser"):
        value = getattr(cfg, key)
        if key == "proxy" and value:
            value = redact_url_credentials(value)
        console.say(f"  {key:<20} {value if value is not None else '-'}")
    for platform, handles in cfg.own_accounts.items():
        console.say(f"  own accounts on {platform}: {', '.join(handles)}")
    for number, url in enumerate(cfg.timestamp_urls, 1):
        console.say(f"  time-stamp authority {number}: {redact_url_credentials(url)}")
    for trust in cfg.timestamp_trust:
        console.say(f"  trusted time-stamp roots: {trust}"
                    f"{'' if trust.is_file() else ' (missing)'}")
    return ExitStatus.OK


def _cmd_gui(args: argparse.Namespace, console: Console) -> ExitStatus:
    try:
        import PySide6.QtWidgets  # noqa: F401 - only to tell whether the app can start
    except ImportError:
        console.error("The desktop app needs PySide6, which is not installed. Install it with: "
                      "pip install 'somecapture[gui]'. The command line works without it.")
        return ExitStatus.ENVIRONMENT
    from somecapture.gui.app import run

    return ExitStatus.OK if run(sys.argv[:1]) == 0 else ExitStatus.ERROR


_COMMANDS: dict[str, Callable[[argparse.Namespace, Console], ExitStatus]] = {
    "capture": _cmd_capture,
    "batch": _cmd_batch,
    "worker": _cmd_worker,
    "verify": _cmd_verify,
    "export": _cmd_export,
    "login": _cmd_login,
    "profiles": _cmd_profiles,
    "list": _cmd_list,
    "config": _cmd_config,
    "gui": _cmd_gui,
    "watch": lambda args, console: cmd_watch(args, console, options_from_args),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (never raises for user errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return ExitStatus.USAGE
    console = Console(json_mode=getattr(args, "json", False),
                      quiet=getattr(args, "quiet", False))
    log_file = setup_logging()
    try:
        command = _COMMANDS.get(args.command)
        if command is not None:
            return command(args, console)
        parser.error(f"unknown command {args.command}")
    except KeyboardInterrupt:
        console.error("Interrupted. Nothing half-written was published.")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`somecapture verify PKG | head -1`): not a bug, nothing more
        # to say; the shell's convention for a closed pipe (128 + SIGPIPE), as git does.
        # stdout is pointed at nothing so that Python's own flush at exit stays quiet
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except SomecaptureError as exc:
        # the tool's own message (some list what was tried, one per line); page text in it
        # is cleaned like any other
        console.error(str(exc), multiline=True)
        return status_for_error(exc)
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback for the user
        # the traceback for the log file, with token-like URL parameters in it redacted
        log.error("unexpected error\n%s", HeaderRedactor(learn_secrets=True).text(
            "".join(traceback.format_exception(exc))))
        console.error(f"Unexpected error: {type(exc).__name__}: {exc}")
        console.error(f"This is a bug in somecapture. Details are in {log_file}.")
        return ExitStatus.ERROR
    return ExitStatus.USAGE


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


# keep the names the result printer needs close to the entry point
__all__ = ["CaptureStatus", "build_parser", "entry_point", "main"]
