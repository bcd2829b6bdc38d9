"""The ``somecapture`` command: parse, build options, run the engine, map the result to an exit
status. No capture logic lives here."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from somecapture import __version__
from somecapture.cli.console import Console, setup_logging
from somecapture.cli.status import ExitStatus, status_for_error, status_for_results
from somecapture.errors import InvalidURLError, SomecaptureError
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse with our exit status for usage errors and a hint line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"somecapture: error: {message}\n"
                         f"Run '{self.prog} --help' for the options.\n")
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

    ver = sub.add_parser("verify", help="re-check packages (checksums, WARC digests)",
                         description="Re-check bag checksums and WARC digests of packages.")
    ver.add_argument("packages", nargs="+", type=Path, metavar="PACKAGE",
                     help="package folder")
    ver.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _options_from_args(args: argparse.Namespace) -> CaptureOptions:
    changes: dict[str, Any] = {}
    if args.out is not None:
        changes["out_dir"] = args.out
    if args.proxy:
        changes["proxy"] = args.proxy
    if args.ignore_https_errors:
        changes["ignore_https_errors"] = True
    if args.browser:
        changes["browser_path"] = args.browser
    if args.timeout is not None:
        changes["capture_timeout_s"] = args.timeout
    return CaptureOptions(**changes)


def _cmd_capture(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.engine.browser import BrowserSession
    from somecapture.engine.capture import Capturer, out_dir_for
    from somecapture.inputs import normalize_url

    options = _options_from_args(args)
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
    console.info(f"Packages go to: {out_dir_for(options)}")

    async def run() -> list[CaptureResult]:
        results: list[CaptureResult] = []
        async with BrowserSession(options) as session:
            console.info(f"Browser: {session.choice.describe() if session.choice else '?'} "
                         f"(version {session.version})")
            capturer = Capturer(session, options, console.on_event)
            for index, url in enumerate(args.urls, 1):
                console.begin(index, len(args.urls), url)
                results.append(await capturer.capture(url))
        return results

    results = asyncio.run(run())
    for result in results:
        console.result(result)
    if args.json:
        print(json.dumps({"results": [r.to_json() for r in results]}, ensure_ascii=False,
                         indent=2))
    return status_for_results(results)


def _cmd_verify(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.package.verify import verify_package

    status = ExitStatus.OK
    report = []
    for path in args.packages:
        check = verify_package(path)
        report.append({"package": str(path), "ok": check.ok, "problems": check.problems,
                       "checked": check.checked})
        if check.ok:
            console.say(f"OK      {path}")
        else:
            status = ExitStatus.VERIFY_FAILED
            console.say(f"FAILED  {path}")
            for problem in check.problems:
                console.say(f"        {problem}")
    if args.json:
        print(json.dumps({"results": report}, ensure_ascii=False, indent=2))
    return status


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
        if args.command == "capture":
            return _cmd_capture(args, console)
        if args.command == "verify":
            return _cmd_verify(args, console)
        parser.error(f"unknown command {args.command}")
    except KeyboardInterrupt:
        console.error("Interrupted. Nothing half-written was published.")
        return ExitStatus.INTERRUPTED
    except SomecaptureError as exc:
        console.error(str(exc))
        return status_for_error(exc)
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback for the user
        log.exception("unexpected error")
        console.error(f"Unexpected error: {type(exc).__name__}: {exc}\n"
                      f"This is a bug in somecapture. Details are in {log_file}.")
        return ExitStatus.ERROR
    return ExitStatus.USAGE


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


# keep the names the result printer needs close to the entry point
__all__ = ["CaptureStatus", "build_parser", "entry_point", "main"]
