"""The ``somecapture`` command: parse, build options, run the engine, map the result to an exit
status. No capture logic lives here."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from somecapture._version import __version__
from somecapture.cli.console import Console, metavar_for, write_line
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
from somecapture.messages import Msg, format_duration, language_from_locale, render
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions, RecordOptions, redact_url_credentials
from somecapture.redact import HeaderRedactor

log = logging.getLogger(__name__)


def _h(code: str, **params: Any) -> str:
    """A help text of the command line in the locale's language (``help.*`` codes)."""
    return render(Msg(code, **params), language_from_locale(), "cli")


class _Parser(argparse.ArgumentParser):
    """argparse with our exit status for usage errors and a hint line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        lang = language_from_locale()
        # the message quotes what was typed: cleaned like every other line
        write_line(sys.stderr, render(Msg("cli.usage_error", text=message), lang))
        write_line(sys.stderr, render(Msg("cli.help_hint", prog=self.prog), lang))
        raise SystemExit(ExitStatus.USAGE)


#: argparse's own texts (its gettext message ids) and their codes in the catalogue: usage
#: errors and the help's headings in the locale's language too
_ARGPARSE_TEXTS = {
    "usage: ": "argparse.usage",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "show program's version number and exit": "argparse.version",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_of_required",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "ignored explicit argument %r": "argparse.explicit_ignored",
}


def _speak_argparse(lang: str) -> None:
    """Make argparse word its usage errors and help headings in ``lang``: argparse asks
    gettext for each (``argparse._``); Python ships no Norwegian for them, the catalogue
    has it. Texts it does not know stay as argparse has them."""
    if lang == "en":
        return

    def gettext(message: str) -> str:
        code = _ARGPARSE_TEXTS.get(message)
        return render(Msg(code), lang) if code else message

    argparse._ = gettext  # type: ignore[attr-defined]


class _NotANumber(str):
    """What a number option was given when it is not a number: kept (not an argparse error
    that stops at the first), so that every bad option is reported at once."""

    whole = False


def _number(kind: type) -> Callable[[str], Any]:
    """An argparse ``type`` for a number (``int`` or ``float``) that never raises."""

    def convert(text: str) -> Any:
        try:
            return kind(text)
        except ValueError:
            bad = _NotANumber(text)
            bad.whole = kind is int
            return bad

    return convert


#: the command line's name of an option the code knows by another (the archivist reads the
#: flag they typed, never ``capture_timeout_s``)
_FLAG_FOR = {"capture_timeout_s": "--timeout", "proxy": "--proxy",
             "arkivmelding": "--arkivmelding", "journalposttype": "--journalposttype",
             "concurrency": "--concurrency", "retries": "--retries"}


def _as_typed(problem: str) -> str:
    """A problem message with its ``option`` named as the command line takes it."""
    if isinstance(problem, Msg) and problem.params.get("option") in _FLAG_FOR:
        return Msg(problem.code, **{**problem.params,
                                    "option": _FLAG_FOR[problem.params["option"]]})
    return problem


def _number_problems(args: argparse.Namespace) -> list[str]:
    """A message for each number option that was given something else."""
    problems: list[str] = []
    for dest, value in vars(args).items():
        if isinstance(value, _NotANumber):
            problems.append(Msg("option.not_a_whole_number" if value.whole
                                else "option.not_a_number",
                                option="--" + dest.replace("_", "-"), value=str(value)))
    return problems


def _add_capture_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, metavar=metavar_for("DIR"),
                   help=_h("help.opt.out"))
    p.add_argument("--proxy", metavar=metavar_for("URL"), help=_h("help.opt.proxy"))
    p.add_argument("--ignore-https-errors", action="store_true",
                   help=_h("help.opt.ignore_https_errors"))
    p.add_argument("--browser", metavar=metavar_for("PATH"),
                   help=_h("help.opt.browser"))
    p.add_argument("--timeout", type=_number(float), metavar=metavar_for("SECONDS"),
                   help=_h("help.opt.timeout"))
    p.add_argument("--json", action="store_true",
                   help=_h("help.opt.json"))
    p.add_argument("-q", "--quiet", action="store_true", help=_h("help.opt.q"))
    p.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                   help=_h("help.opt.config"))
    p.add_argument("--profile", metavar=metavar_for("NAME"),
                   help=_h("help.opt.profile"))
    p.add_argument("--also-public", action="store_true",
                   help=_h("help.opt.also_public"))
    p.add_argument("--allow-private-network", action="store_true",
                   help=_h("help.opt.allow_private_network"))
    p.add_argument("--keep-credentials", action="store_true",
                   help=_h("help.opt.keep_credentials"))
    p.add_argument("--timestamp-url", action="append", metavar=metavar_for("URL"),
                   help=_h("help.opt.timestamp_url"))
    p.add_argument("--no-timestamp", action="store_true",
                   help=_h("help.opt.no_timestamp"))
    rec = p.add_argument_group(_h("help.group.records"))
    rec.add_argument("--title", metavar=metavar_for("TITLE"), help=_h("help.opt.title"))
    rec.add_argument("--case", metavar=metavar_for("SAKSNUMMER"),
                     help=_h("help.opt.case"))
    rec.add_argument("--archivist", metavar=metavar_for("ARCHIVIST"),
                     help=_h("help.opt.archivist"))
    rec.add_argument("--arkivnotat", action="store_true",
                     help=_h("help.opt.arkivnotat"))
    rec.add_argument("--screening", metavar=metavar_for("HJEMMEL"),
                     help=_h("help.opt.screening"))
    rec.add_argument("--access-code", metavar=metavar_for("CODE"),
                     help=_h("help.opt.access_code"))
    rec.add_argument("--journalposttype", choices=["I", "U"],
                     help=_h("help.opt.journalposttype"))
    rec.add_argument("--arkivmelding", choices=["eformidling", "fiks", "none"],
                     help=_h("help.opt.arkivmelding"))
    rec.add_argument("--note", metavar=metavar_for("NOTE"), help=_h("help.opt.note"))
    rec.add_argument("--maalform", choices=["nb", "nn"],
                     help=_h("help.opt.maalform"))
    scr = p.add_argument_group(_h("help.group.personvern"))
    scr.add_argument("--screen-text", action="store_true", default=None,
                     help=_h("help.opt.screen_text"))
    scr.add_argument("--no-screened-variant", dest="screened_variant", action="store_false",
                     default=None,
                     help=_h("help.opt.no_screened_variant"))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used for the README's usage text)."""
    parser = _Parser(
        prog="somecapture",
        description=_h("help.top.description"),
    )
    # (argparse words this help itself, without asking gettext: given in the locale's language)
    parser.add_argument("--version", action="version", version=f"somecapture {__version__}",
                        help=_h("argparse.version"))
    sub = parser.add_subparsers(dest="command", metavar=metavar_for("COMMAND"),
                                parser_class=_Parser)

    cap = sub.add_parser("capture", help=_h("help.capture.summary"),
                         description=_h("help.capture.description"))
    cap.add_argument("urls", nargs="+", metavar=metavar_for("URL"), help=_h("help.capture.urls"))
    _add_capture_options(cap)

    bat = sub.add_parser("batch", help=_h("help.batch.summary"),
                         description=_h("help.batch.description"))
    bat.add_argument("list_file", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.batch.list_file"))
    bat.add_argument("--concurrency", type=_number(int), metavar=metavar_for("N"),
                     help=_h("help.batch.concurrency"))
    bat.add_argument("--retries", type=_number(int), metavar=metavar_for("N"),
                     help=_h("help.batch.retries"))
    bat.add_argument("--resume", action="store_true",
                     help=_h("help.batch.resume"))
    bat.add_argument("--new", action="store_true",
                     help=_h("help.batch.new"))
    bat.add_argument("--skip-invalid", action="store_true",
                     help=_h("help.batch.skip_invalid"))
    bat.add_argument("--queue", metavar=metavar_for("redis://HOST:PORT/DB"),
                     help=_h("help.batch.queue"))
    _add_capture_options(bat)

    wrk = sub.add_parser("worker", help=_h("help.worker.summary"),
                         description=_h("help.worker.description"))
    wrk.add_argument("--queue", required=True, metavar=metavar_for("redis://HOST:PORT/DB"),
                     help=_h("help.worker.queue"))
    wrk.add_argument("--concurrency", type=_number(int), default=1, metavar=metavar_for("N"),
                     help=_h("help.worker.concurrency"))
    wrk.add_argument("--redeliver-after", type=_number(float), default=30.0,
                     metavar=metavar_for("SECONDS"),
                     help=_h("help.worker.redeliver_after"))
    wrk.add_argument("--allow-private-network", action="store_true",
                     help=_h("help.worker.allow_private_network"))
    wrk.add_argument("--ignore-https-errors", action="store_true",
                     help=_h("help.worker.ignore_https_errors"))
    wrk.add_argument("--allow-keep-credentials", action="store_true",
                     help=_h("help.worker.allow_keep_credentials"))
    wrk.add_argument("--stale-claim-after", type=_number(float), default=120.0,
                     metavar=metavar_for("SECONDS"),
                     help=_h("help.worker.stale_claim_after"))
    wrk.add_argument("--out", type=Path, metavar=metavar_for("DIR"),
                     help=_h("help.worker.out"))
    wrk.add_argument("--browser", metavar=metavar_for("PATH"),
                     help=_h("help.worker.browser"))
    wrk.add_argument("--proxy", metavar=metavar_for("URL"),
                     help=_h("help.worker.proxy"))
    wrk.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.worker.config"))
    wrk.add_argument("-q", "--quiet", action="store_true", help=_h("help.worker.q"))

    ver = sub.add_parser("verify", help=_h("help.verify.summary"),
                         description=_h("help.verify.description"))
    ver.add_argument("packages", nargs="*", type=Path, metavar=metavar_for("PACKAGE"),
                     help=_h("help.verify.packages"))
    ver.add_argument("--all", action="store_true",
                     help=_h("help.verify.all"))
    ver.add_argument("--trust", action="append", type=Path, default=[],
                     metavar=metavar_for("CAFILE"),
                     help=_h("help.verify.trust"))
    ver.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.verify.config"))
    ver.add_argument("--require-seal", action="store_true",
                     help=_h("help.verify.require_seal"))
    ver.add_argument("--json", action="store_true", help=_h("help.verify.json"))

    exp = sub.add_parser("export", help=_h("help.export.summary"),
                         description=_h("help.export.description"))
    exp.add_argument("package", type=Path, metavar=metavar_for("PACKAGE"),
                     help=_h("help.export.package"))
    exp.add_argument("--wacz", type=Path, metavar=metavar_for("FILE"), required=True,
                     help=_h("help.export.wacz"))
    exp.add_argument("--force", action="store_true", help=_h("help.export.force"))
    exp.add_argument("--timestamp-url", action="append", metavar=metavar_for("URL"),
                     help=_h("help.export.timestamp_url"))
    exp.add_argument("--no-timestamp", action="store_true",
                     help=_h("help.export.no_timestamp"))
    exp.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.export.config"))
    exp.add_argument("--json", action="store_true", help=_h("help.export.json"))

    lst = sub.add_parser("list", help=_h("help.list.summary"),
                         description=_h("help.list.description"))
    lst.add_argument("--search", metavar=metavar_for("TEXT"), help=_h("help.list.search"))
    lst.add_argument("--status", choices=["complete", "partial", "failed"])
    lst.add_argument("--limit", type=_number(int), default=50, metavar=metavar_for("N"),
                     help=_h("help.list.limit"))
    lst.add_argument("--json", action="store_true", help=_h("help.list.json"))

    log_in = sub.add_parser("login", help=_h("help.login.summary"),
                            description=_h("help.login.description"))
    log_in.add_argument("name", metavar=metavar_for("NAME"), help=_h("help.login.name"))
    log_in.add_argument("--url", metavar=metavar_for("URL"), help=_h("help.login.url"))
    log_in.add_argument("--browser", metavar=metavar_for("PATH"), help=_h("help.login.browser"))

    prof = sub.add_parser("profiles", help=_h("help.profiles.summary"))
    prof.add_argument("--delete", metavar=metavar_for("NAME"), help=_h("help.profiles.delete"))
    prof.add_argument("--json", action="store_true", help=_h("help.profiles.json"))

    cfg = sub.add_parser("config", help=_h("help.config.summary"))
    cfg.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.config.config"))

    add_watch_parser(sub, _Parser, _add_capture_options)

    sub.add_parser("gui", help=_h("help.gui.summary"),
                   description=_h("help.gui.description"))
    return parser


#: commands that report an unknown option together with every other bad option
_CHECKS_ALL_OPTIONS = ("capture", "batch")


def _typed_options(unknown: Sequence[str]) -> list[str]:
    """Unknown arguments as typed, an option with the values after it (``--concurrency 3``)."""
    typed: list[str] = []
    for token in unknown:
        if token.startswith("-") or not typed:
            typed.append(token)
        else:
            typed[-1] += " " + token
    return typed


def _command_parser(parser: argparse.ArgumentParser, command: str | None
                    ) -> argparse.ArgumentParser:
    """The parser of ``command`` (its usage names the command), else the top one."""
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            found: argparse.ArgumentParser = action.choices[command]
            return found
    return parser


def options_from_args(args: argparse.Namespace,
                      extra: Sequence[str] = ()) -> CaptureOptions:
    """Capture options from the command line over the config file's defaults.

    Every bad option is reported at once, named as typed: one :class:`OptionsError` whose
    ``problems`` are ``extra`` (the command's own), the options that are not numbers, the
    registration's and the capture's.
    """
    cfg = load_config(args.config)
    problems: list[str] = [
        *(Msg("option.unknown", option=typed, command=args.command)
          for typed in getattr(args, "unknown_options", ())),
        *extra, *_number_problems(args)]
    try:
        record = cfg.record_defaults().merged(
            title=args.title, case=args.case, archivist=args.archivist,
            arkivnotat=True if args.arkivnotat else None, screening=args.screening,
            access_code=args.access_code, journalposttype=args.journalposttype,
            arkivmelding=args.arkivmelding, note=args.note,
            screened_variant=args.screened_variant, screen_text=args.screen_text,
            maalform=args.maalform,
        )
    except OptionsError as exc:
        problems += exc.problems
        record = RecordOptions()
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
    if args.timeout is not None and not isinstance(args.timeout, _NotANumber):
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
        problems.append(Msg("option.contradict", option="--no-timestamp",
                            other="--timestamp-url"))
    changes["timestamp_urls"] = tuple(args.timestamp_url or cfg.timestamp_urls)
    changes["timestamp"] = not args.no_timestamp
    try:
        options = CaptureOptions(**changes)
    except OptionsError as exc:
        problems += exc.problems
        options = CaptureOptions()
    problems += _usable_problems(args, changes)
    OptionsError.raise_if_any([_as_typed(p) for p in problems])
    return options


def _usable_problems(args: argparse.Namespace, changes: dict[str, Any]) -> list[str]:
    """What the options name that is not there: a login profile that does not exist, an
    output folder that is a file. Found before any browser starts (a usage error)."""
    from somecapture.package.staging import default_out_dir
    from somecapture.profiles import profile_path

    problems: list[str] = []
    profile = changes.get("profile")
    try:
        # a batch sent to a task queue is captured by its workers, with their own profiles
        # (never sent through the queue): the profile need not be on this computer
        missing = profile is not None and getattr(args, "queue", None) is None \
            and not profile_path(profile).is_dir()
    except OptionsError:  # a name that is not allowed: the options' own problem says so
        missing = False
    if missing:
        problems.append(Msg("option.no_such_profile", option="--profile", name=profile))
    out = Path(changes.get("out_dir") or default_out_dir()).expanduser()
    option = "--out" if args.out is not None else "[defaults] out_dir"
    # the folder is made if it is missing, with the folders above it: the first of them that
    # exists must be a folder (afile/sub cannot be made), or the capture fails after the
    # browser has started
    blocker = next((p for p in (out, *out.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        problems.append(Msg("cli.out_is_file", option=option, path=str(out))
                        if blocker == out else
                        Msg("cli.out_under_file", option=option, path=str(out),
                            file=str(blocker)))
    return problems


def _registration_notes(record: RecordOptions, console: Console) -> None:
    """Print what the arkivmelding will lack because nothing was configured or given."""
    from somecapture.package.record import registration_notes

    for note in registration_notes(record):
        console.note(note)


def _seal_note(options: CaptureOptions, console: Console) -> None:
    """Say once, before capturing, that the packages will not be sealed, and why."""
    from somecapture.package.seal import SealConfig

    seal = SealConfig.from_options(options)
    if not seal.active:
        console.note(console.t("cli.not_sealed", reason=seal.unsealed_reason()))


def _cmd_capture(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.engine.browser import BrowserSession
    from somecapture.inputs import normalize_url
    from somecapture.pipeline import CapturePipeline, out_dir_for, warm_packaging

    warm_packaging()  # loads while the options are checked and the browser starts
    # the addresses and the options checked together: every problem said at once, before
    # any browser starts
    bad: list[InvalidURLError] = []
    for url in args.urls:
        try:
            normalize_url(url)
        except InvalidURLError as exc:
            bad.append(exc)
    try:
        options = options_from_args(args)
    except OptionsError as exc:
        for problem in bad:
            console.error(problem)
        _print_option_problems(exc, console, also=len(bad))
        return ExitStatus.USAGE
    if bad:
        for problem in bad:
            console.error(problem)
        console.error(Msg("cli.nothing_captured", count=len(bad)))
        return ExitStatus.USAGE
    from somecapture.package.bag import prepare_out_dir

    prepare_out_dir(out_dir_for(options).expanduser().resolve())
    console.info(Msg("cli.packages_go_to", path=str(out_dir_for(options))))
    _registration_notes(options.record, console)
    _seal_note(options, console)

    async def run() -> list[CaptureResult]:
        results: list[CaptureResult] = []
        async with BrowserSession(options) as session:
            console.info(Msg("cli.browser", browser=session.choice.describe()
                             if session.choice else "?", version=session.version))
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


def _print_option_problems(exc: OptionsError, console: Console, also: int = 0) -> None:
    """Every bad option, then (for more than one problem) what to do."""
    for problem in exc.problems:
        console.error(problem)
    if len(exc.problems) + also > 1:
        console.error(Msg("option.options_summary", count=len(exc.problems) + also))


#: at most this many lines of one kind (bad list lines, failed items) are printed; the rest
#: are counted, and listed in full in a file
FLOOD_LINES = 20

#: a batch of at least this many URLs says how long it is expected to take
ESTIMATE_FROM_URLS = 500
#: the time one archiving is assumed to take when the catalogue has none to measure
DEFAULT_CAPTURE_S = 60.0

#: the batch's choices a --resume takes over from the batch it continues, unless given again
#: (argument name → the flag shown)
_RESUMED_CHOICES = {"skip_invalid": "--skip-invalid",
                    "allow_private_network": "--allow-private-network",
                    "ignore_https_errors": "--ignore-https-errors",
                    "keep_credentials": "--keep-credentials", "also_public": "--also-public",
                    "no_timestamp": "--no-timestamp", "profile": "--profile",
                    "timeout": "--timeout", "concurrency": "--concurrency",
                    "retries": "--retries"}


def _flood(console: Console, lines: Sequence[str], kind: str, show: Callable[[Any], None],
           more_code: str = "cli.and_more") -> None:
    """Show ``lines`` with ``show``, at most :data:`FLOOD_LINES` of them; the rest are
    counted and all are written to a file in the log folder, named in the last line."""
    for line in lines[:FLOOD_LINES]:
        show(line)
    rest = len(lines) - FLOOD_LINES
    if rest <= 0:
        return
    from datetime import datetime

    from somecapture.logsetup import log_dir

    path = log_dir() / f"{kind}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{console.show(line)}\n" for line in lines), encoding="utf-8")
    except OSError as exc:
        log.warning("could not write %s: %s", path, exc)
    show(Msg(more_code, count=rest, path=str(path)))


def _batch_problems(args: argparse.Namespace) -> list[str]:
    """The batch's own bad options (ranges of --concurrency and --retries)."""
    from somecapture.batch import BatchOptions

    try:
        _batch_options(args, BatchOptions)
    except OptionsError as exc:
        return list(exc.problems)
    return []


def _batch_options(args: argparse.Namespace, cls: Any) -> Any:
    values = {name: getattr(args, name) for name in ("concurrency", "retries")
              if isinstance(getattr(args, name), int)}
    return cls(**values)


def _stored_choices(args: argparse.Namespace, options: CaptureOptions) -> dict[str, Any]:
    """The choices of the unfinished batch a ``--resume`` continues (empty: none found; the
    resume itself says why)."""
    from somecapture.batch import BatchRunner

    runner = BatchRunner(options)
    found = runner.unfinished(args.list_file)
    if found is None:
        return {}
    stored = runner.store.options(found[0])
    choices = dict(stored.get("choices") or {})
    if "skip_invalid" not in choices and any(
            row.get("status") == "invalid" for row in stored.get("skipped") or []):
        # a batch started before its choices were stored: lines were skipped, so it was
        # started with --skip-invalid
        choices["skip_invalid"] = True
    return choices


def _take_over_choices(args: argparse.Namespace, choices: dict[str, Any]) -> list[str]:
    """Set the stored ``choices`` the command line does not give again; returns the flags."""
    def unset(value: Any) -> bool:
        # identity, not equality: a stored or given 0 (--retries 0) is a choice, and
        # 0 == False
        return value is None or value is False

    taken: list[str] = []
    for name, flag in _RESUMED_CHOICES.items():
        value = choices.get(name)
        if unset(value) or not unset(getattr(args, name, None)):
            continue
        setattr(args, name, value)
        taken.append(flag if value is True else f"{flag} {value}")
    return taken


def _choices_of(args: argparse.Namespace) -> dict[str, Any]:
    """What a --resume of this batch takes over (see :data:`_RESUMED_CHOICES`)."""
    return {name: getattr(args, name, None) for name in _RESUMED_CHOICES
            if not isinstance(getattr(args, name, None), _NotANumber)}


def _estimate(console: Console, runner: Any, todo: int, concurrency: int) -> None:
    """Say how long a long batch is expected to take (it goes on at once)."""
    if todo < ESTIMATE_FROM_URLS:
        return
    measured = runner.catalog.recent_capture_seconds()
    per, basis, count = (DEFAULT_CAPTURE_S, "default", 0) if measured is None else (
        measured[0], "catalogue", measured[1])
    console.info(Msg("cli.batch_estimate", count=todo, concurrency=concurrency,
                     duration=format_duration(todo * per / max(1, concurrency)),
                     per=Msg("time.seconds", seconds=round(per)), basis=basis,
                     measured=count))


def _cmd_batch(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.batch import BatchOptions, BatchRunner, open_batch
    from somecapture.batchinput import read_list_file

    extra: list[str] = []
    if args.resume and args.new:
        extra.append(Msg("option.contradict", option="--resume", other="--new"))
    queue = None
    if args.queue is not None:
        from somecapture.distributed.address import parse_queue_url

        queue = parse_queue_url(args.queue)  # a bad address: USAGE, nothing started
    options = options_from_args(args, extra=[*extra, *_batch_problems(args)])
    if args.resume:
        # a resumed batch goes on as it started: its choices unless given again
        taken = _take_over_choices(args, _stored_choices(args, options))
        if taken:
            console.info(Msg("cli.resume_choices", choices=", ".join(taken)))
            options = options_from_args(args)
    parsed = read_list_file(args.list_file)
    _flood(console, [Msg("cli.duplicate", line=d.line, first=d.first_line, url=d.url)
                     for d in parsed.duplicates], "list-duplicates", console.info,
           "cli.and_more_lines")
    if parsed.problems:
        messages = [p.message() for p in parsed.problems]
        if not args.skip_invalid:
            _flood(console, messages, "list-problems", console.error)
            console.error(Msg("cli.list_problems", count=len(parsed.problems),
                              file=str(args.list_file), valid=len(parsed.items)))
            return ExitStatus.USAGE
        _flood(console, messages, "list-skipped", console.skipped)
        console.info(Msg("cli.skipping_lines", count=len(parsed.problems),
                         valid=len(parsed.items)))
    if not parsed.items:
        console.error(Msg("cli.no_usable_urls", file=str(args.list_file)))
        return ExitStatus.USAGE
    # the report is read by the archivist who ran the batch: in the terminal's language
    batch_options = dataclasses.replace(_batch_options(args, BatchOptions),
                                        report_language=console.lang)
    runner: BatchRunner
    if queue is not None:
        from somecapture.distributed.store import check_reachable
        from somecapture.distributed.submit import QueuedBatchRunner

        check_reachable(queue)  # before the batch is created: nothing left to resume
        runner = QueuedBatchRunner(options, batch_options, console.on_batch_event, queue=queue)
    else:
        runner = BatchRunner(options, batch_options, console.on_batch_event)
    runner.choices = _choices_of(args)
    # an unfinished batch without --resume or --new, a --resume with nothing to resume, or a
    # local --resume of a batch sent to a queue, raises an InputError: main() prints it and
    # exits with USAGE
    opened = open_batch(runner, parsed, args.list_file, resume=args.resume, new=args.new)
    batch_id = opened.batch_id
    if opened.resumed:
        console.info(Msg("cli.resuming", batch=batch_id[:8], file=str(args.list_file)))
    elif queue is not None:
        console.info(Msg("cli.batch_queued", batch=batch_id[:8], count=len(parsed.items),
                         queue=queue.shown, out=str(runner.out_dir)))
    else:
        console.info(Msg("cli.batch_local", batch=batch_id[:8], count=len(parsed.items),
                         concurrency=batch_options.concurrency, out=str(runner.out_dir)))
    if queue is not None and args.concurrency is not None:
        console.note(Msg("cli.concurrency_is_workers"))
    if queue is None:
        _estimate(console, runner, sum(1 for row in opened.rows if row[2] is None),
                  batch_options.concurrency)
    # rows of a CSV list may carry their own case: the note on a missing case names the rows
    without_case = [i for i in parsed.items if not i.case]
    if options.record.case or len(without_case) in (0, len(parsed.items)):
        _registration_notes(options.record.merged(case="(per row)") if not without_case
                            else options.record, console)
    else:
        _registration_notes(options.record.merged(case="(per row)"), console)
        console.note(Msg("cli.rows_without_case", without=len(without_case),
                         total=len(parsed.items)))
    _seal_note(options, console)
    try:
        result = asyncio.run(runner.run(batch_id))
    except KeyboardInterrupt:
        console.end_progress()
        console.error(Msg("cli.interrupted_queue" if queue is not None
                          else "cli.interrupted_batch"))
        return ExitStatus.INTERRUPTED
    console.end_progress()
    console.info(Msg("cli.batch_done", complete=result.count("complete"),
                     partial=result.count("partial"), failed=result.count("failed"),
                     total=len(result.items)))
    console.info(Msg("cli.batch_report", csv=str(result.report_csv),
                     json=str(result.report_json)))
    failed = [Msg("cli.batch_failed_item", line=i.line, url=i.url, error=i.error or "")
              for i in result.items if i.status == "failed"]
    for line in failed[:FLOOD_LINES]:
        console.error(line)
    if len(failed) > FLOOD_LINES:
        console.error(Msg("cli.and_more_failed", count=len(failed) - FLOOD_LINES,
                          path=str(result.report_csv)))
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
    from somecapture.distributed.worker import worker_option_problems

    numbers = {name: getattr(args, name) for name in ("concurrency", "redeliver_after",
                                                      "stale_claim_after")}
    OptionsError.raise_if_any([*_number_problems(args), *worker_option_problems(
        **{k: v for k, v in numbers.items() if not isinstance(v, _NotANumber)})])
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


#: files and folders of which a package has at least one, however damaged
_BAG_MARKS = ("bagit.txt", "bag-info.txt", "data", "manifest-sha256.txt",
              "tagmanifest-sha256.txt")


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
        console.error(Msg("cli.verify_nothing"))
        return ExitStatus.USAGE
    # what is not there is a usage error, said for all at once before anything is checked
    problems: list[str] = [Msg("cli.verify_missing", path=str(p)) for p in args.packages
                           if not p.exists()]
    problems += [Msg("cli.verify_not_a_folder", path=str(p)) for p in args.packages
                 if p.exists() and not p.is_dir()]
    # a folder holding none of a package's files is no package (a wrong folder: a usage
    # error); one holding some of them is a damaged package, which verify reports
    problems += [Msg("cli.verify_not_a_package", path=str(p)) for p in args.packages
                 if p.is_dir() and not any((p / name).exists() for name in _BAG_MARKS)]
    problems += [Msg("cli.verify_trust_missing", path=str(t)) for t in args.trust
                 if not t.is_file()]
    if problems:
        for problem in problems:
            console.error(problem)
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
            console.say(console.t("cli.verify_ok", path=str(path)))
        else:
            status = ExitStatus.VERIFY_FAILED
            console.say(console.t("cli.verify_failed", path=str(path)))
            for problem in check.problems:
                console.say(f"        {console.show(problem)}")
        console.say("        " + console.t("cli.verify_seal", summary=console.show(
            check.seal_summary)))
        for note in check.notes:
            console.say("        " + console.t("cli.verify_note", note=console.show(note)))
    if args.json:
        console.json({"results": report})
    return status


def _cmd_export(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.catalog import published_seal_for
    from somecapture.errors import DiskError
    from somecapture.package.seal import SealConfig
    from somecapture.package.wacz import PackageNotVerifiedError, export_wacz

    if args.no_timestamp and args.timestamp_url:
        raise OptionsError(Msg("option.contradict", option="--no-timestamp",
                               other="--timestamp-url"))
    cfg = load_config(args.config)
    urls = tuple(args.timestamp_url or cfg.timestamp_urls)
    CaptureOptions(timestamp_urls=urls)  # the capture's own checks of the addresses
    seal = SealConfig.for_agency(cfg, urls, disabled_reason=Msg("seal.turned_off_export")
                                 if args.no_timestamp else None)
    try:
        done = export_wacz(args.package, args.wacz, force=args.force, seal=seal,
                           trust=cfg.trust_files(), published=published_seal_for(args.package))
    except PackageNotVerifiedError as exc:
        # the verify exit status: the package, not the command line, is what is wrong
        console.error(exc, multiline=True)
        return ExitStatus.VERIFY_FAILED
    except DiskError as exc:
        console.error(exc, multiline=True)
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
        console.info(Msg("cli.wacz_written", records=done.indexed_records, url=done.page_url,
                         ts=done.page_ts, tokens=len(done.seal_tokens)))
    if done.stamp_note:
        console.note(console.t("cli.sentence", text=console.show(done.stamp_note)))
    made = sum(1 for t in done.stamps if t.ok)
    if made:
        console.info(Msg("cli.wacz_stamped", made=made, total=len(done.stamps)))
    for problem in done.stamp_problems:
        console.error(Msg("cli.wacz_stamp_failed", problem=problem))
    return ExitStatus.PARTIAL if done.stamp_problems else ExitStatus.OK


def _cmd_list(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.catalog import Catalog

    OptionsError.raise_if_any(_number_problems(args) + (
        [Msg("option.at_least", option="--limit", value=args.limit, low=1)]
        if isinstance(args.limit, int) and args.limit < 1 else []))
    entries = Catalog().entries(search=args.search, status=args.status, limit=args.limit)
    if args.json:
        console.json({"captures": [e.to_json() for e in entries]})
        return ExitStatus.OK
    if not entries:
        console.say(console.t("cli.list_empty"))
    for e in entries:
        when = e.captured_at.replace("T", " ")[:16]
        who = e.author or e.handle or "-"
        status = console.t(f"status.{e.status}") if e.status in (
            "complete", "partial", "failed") else e.status
        console.say(f"{when}  {status:<11} {e.platform or '-':<10} {who[:24]:<24} "
                    f"{(e.title or e.url)[:60]}")
        where = e.package_path or console.t("cli.list_no_package",
                                            error=console.show(e.error or ""))
        console.say(f"{'':18}{where}")
    return ExitStatus.OK


def _cmd_login(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.engine.login import login
    from somecapture.inputs import normalize_url
    from somecapture.profiles import check_profile_name

    check_profile_name(args.name)
    url = normalize_url(args.url) if args.url else None
    cfg = load_config(None)
    options = CaptureOptions(browser_path=args.browser or cfg.browser, proxy=cfg.proxy)
    console.info(Msg("cli.login_opening", name=args.name))
    info = asyncio.run(login(args.name, url, options))
    console.say(console.t("cli.login_saved", name=info.name, path=str(info.path)))
    console.info(Msg("cli.login_use", name=info.name))
    return ExitStatus.OK


def _cmd_profiles(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.profiles import delete_profile, list_profiles

    if args.delete:
        delete_profile(args.delete)
        console.say(console.t("cli.profile_deleted", name=args.delete))
        return ExitStatus.OK
    profiles = list_profiles()
    if args.json:
        console.json({"profiles": [
            {"name": p.name, "path": str(p.path), "created_at": p.created_at,
             "last_used_at": p.last_used_at, "login_url": p.login_url} for p in profiles]})
        return ExitStatus.OK
    if not profiles:
        console.say(console.t("cli.profiles_none"))
    for p in profiles:
        console.say(console.t("cli.profile_line", name=f"{p.name:<32}",
                              created=f"{p.created_at or '-':<26}",
                              used=p.last_used_at or "-"))
    return ExitStatus.OK


def _cmd_config(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.config import config_path

    cfg = load_config(args.config)
    path = args.config or config_path()
    console.say(console.t("cli.config_file", path=str(path), found="yes" if cfg.path else "no"))
    for key in ("organisation", "organisation_number", "arkivdel", "archivist", "arkivmelding",
                "out_dir", "proxy", "browser"):
        value = getattr(cfg, key)
        if key == "proxy" and value:
            value = redact_url_credentials(value)
        console.say(f"  {key:<20} {value if value is not None else '-'}")
    for platform, handles in cfg.own_accounts.items():
        console.say("  " + console.t("cli.config_own", platform=platform,
                                     handles=", ".join(handles)))
    for number, url in enumerate(cfg.timestamp_urls, 1):
        console.say("  " + console.t("cli.config_tsa", number=number,
                                     url=redact_url_credentials(url)))
    for trust in cfg.timestamp_trust:
        console.say("  " + console.t("cli.config_trust", path=str(trust),
                                     missing="no" if trust.is_file() else "yes"))
    return ExitStatus.OK


def _cmd_gui(args: argparse.Namespace, console: Console) -> ExitStatus:
    try:
        import PySide6.QtWidgets  # noqa: F401 - only to tell whether the app can start
    except ImportError:
        console.error(Msg("cli.no_pyside"))
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
    _speak_argparse(language_from_locale())
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if args.command is None and not unknown:
        parser.print_help(sys.stderr)
        return ExitStatus.USAGE
    if unknown:
        # said by the command that was typed, with its usage; capture and batch say them
        # with every other bad option at once (options_from_args)
        args.unknown_options = _typed_options(unknown)
        if args.command not in _CHECKS_ALL_OPTIONS:
            _command_parser(parser, args.command).error(
                render(Msg("argparse.unrecognized"), language_from_locale())
                % " ".join(unknown))
    console = Console(json_mode=getattr(args, "json", False),
                      quiet=getattr(args, "quiet", False))
    log_file = setup_logging()
    try:
        command = _COMMANDS.get(args.command)
        if command is not None:
            return command(args, console)
        parser.error(f"unknown command {args.command}")
    except KeyboardInterrupt:
        console.error(Msg("cli.interrupted"))
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`somecapture verify PKG | head -1`): not a bug, nothing more
        # to say; the shell's convention for a closed pipe (128 + SIGPIPE), as git does.
        # stdout is pointed at nothing so that Python's own flush at exit stays quiet
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OptionsError as exc:
        # every bad option at once, each named as typed
        _print_option_problems(exc, console)
        return status_for_error(exc)
    except SomecaptureError as exc:
        # the tool's own message (some list what was tried, one per line) in the locale's
        # language; page text in it is cleaned like any other
        console.error(exc, multiline=True)
        return status_for_error(exc)
    except Exception as exc:  # noqa: BLE001 - last resort: no traceback for the user
        # the traceback for the log file, with token-like URL parameters in it redacted
        log.error("unexpected error\n%s", HeaderRedactor(learn_secrets=True).text(
            "".join(traceback.format_exception(exc))))
        console.error(Msg("cli.unexpected", error=f"{type(exc).__name__}: {exc}"))
        console.error(Msg("cli.bug", log=str(log_file)))
        return ExitStatus.ERROR
    return ExitStatus.USAGE


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())


# keep the names the result printer needs close to the entry point
__all__ = ["CaptureStatus", "build_parser", "entry_point", "main"]
