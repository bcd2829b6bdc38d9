"""``somecapture watch``: the watch list on the command line (issue 19).

``watch add URL [--account] [--schedule SPEC]``, ``watch list [--json]``,
``watch remove URL``, ``watch run [--once] [--now] [--json] [--out DIR] [capture options]``,
``watch install-schedule`` and ``watch uninstall-schedule``. Parsing and printing only; the
work is :mod:`somecapture.watch`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.cli.console import Console, metavar_for
from somecapture.cli.status import ExitStatus
from somecapture.errors import OptionsError
from somecapture.events import Event
from somecapture.messages import Msg, language_from_locale, render
from somecapture.options import CaptureOptions

#: the longest a ``watch run`` without ``--once`` sleeps between rounds (the cheap checks)
_MAX_SLEEP_S = 15 * 60



def _h(code: str, **params: Any) -> str:
    """A help text of the command line in the locale's language (``help.*`` codes)."""
    return render(Msg(code, **params), language_from_locale(), "cli")

def add_watch_parser(sub: Any, parser_class: type[argparse.ArgumentParser],
                     add_capture_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """The ``watch`` command and its actions (``sub``: the main parser's subparsers)."""
    from somecapture.watch.schedule import CHEAP_CHECKS_PER_ROUND, DEFAULT_SCHEDULE

    wat = sub.add_parser(
        "watch", help=_h("help.watch.summary"),
        description=_h("help.watch.description"))
    actions = wat.add_subparsers(dest="watch_command", metavar=metavar_for("ACTION"),
                                 parser_class=parser_class)
    add = actions.add_parser("add", help=_h("help.watch_add.summary"),
                             description=_h("help.watch_add.description"))
    add.add_argument("url", metavar=metavar_for("URL"), help=_h("help.watch_add.url"))
    add.add_argument("--account", action="store_true",
                     help=_h("help.watch_add.account"))
    add.add_argument("--schedule", metavar=metavar_for("SPEC"),
                     help=_h("help.watch_add.schedule", default=DEFAULT_SCHEDULE))
    add.add_argument("--profile", metavar=metavar_for("NAME"),
                     help=_h("help.watch_add.profile"))
    add.add_argument("--out", type=Path, metavar=metavar_for("DIR"),
                     help=_h("help.watch_add.out"))
    add.add_argument("--allow-private-network", action="store_true",
                     help=_h("help.watch_add.allow_private_network"))
    add.add_argument("--case", metavar=metavar_for("SAKSNUMMER"),
                     help=_h("help.watch_add.case"))
    lst = actions.add_parser("list", help=_h("help.watch_list.summary"))
    lst.add_argument("--json", action="store_true", help=_h("help.list.json"))
    rem = actions.add_parser("remove", help=_h("help.watch_remove.summary"))
    rem.add_argument("url", metavar=metavar_for("URL"), help=_h("help.watch_remove.url"))
    run = actions.add_parser(
        "run", help=_h("help.watch_run.summary"),
        description=_h("help.watch_run.description"))
    run.add_argument("--once", action="store_true",
                     help=_h("help.watch_run.once"))
    run.add_argument("--now", action="store_true", help=_h("help.watch_run.now"))
    run.add_argument("--cheap-checks", type=int, default=CHEAP_CHECKS_PER_ROUND,
                     metavar=metavar_for("N"),
                     help=_h("help.watch_run.cheap_checks", default=CHEAP_CHECKS_PER_ROUND))
    add_capture_options(run)
    ins = actions.add_parser("install-schedule",
                             help=_h("help.watch_install_schedule.summary"))
    ins.add_argument("--every", type=int, default=15, metavar=metavar_for("MINUTES"),
                     help=_h("help.watch_install.every"))
    ins.add_argument("--out", type=Path, metavar=metavar_for("DIR"),
                     help=_h("help.watch_install.out"))
    ins.add_argument("--config", type=Path, metavar=metavar_for("FILE"),
                     help=_h("help.watch_install.config"))
    actions.add_parser("uninstall-schedule", help=_h("help.watch_uninstall_schedule.summary"))


def cmd_watch(args: argparse.Namespace, console: Console,
              options_from_args: Callable[[argparse.Namespace], CaptureOptions]) -> ExitStatus:
    """Run one ``watch`` action."""
    action = getattr(args, "watch_command", None)
    if action == "add":
        return _add(args, console)
    if action == "list":
        return _list(args, console)
    if action == "remove":
        return _remove(args, console)
    if action == "run":
        return _run(args, console, options_from_args(args))
    if action == "install-schedule":
        return _install(args, console)
    if action == "uninstall-schedule":
        return _uninstall(console)
    console.error(Msg("cli.watch.no_action"))
    return ExitStatus.USAGE


def _store() -> Any:
    from somecapture.catalog import Catalog
    from somecapture.watch.store import WatchStore

    return WatchStore(Catalog())


def _add(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.watch.install import check_paths
    from somecapture.watch.schedule import Schedule
    from somecapture.watch.store import watch_url

    out_dir = None
    if args.out is not None:
        check_paths(args.out, None)  # said now, not in every unattended round
        out_dir = str(args.out.expanduser().resolve())
    item, added = watch_url(_store(), args.url, account=args.account, schedule=args.schedule,
                            profile=args.profile, case=args.case, out_dir=out_dir,
                            allow_private_network=args.allow_private_network)
    if added:
        console.say(console.t("cli.watch.watching", url=item.url))
        console.info("  " + console.t("cli.watch.added_as", kind=item.kind))
    else:
        console.say(console.t("cli.watch.already", url=item.url))
    console.info("  " + console.t("cli.watch.schedule",
                                  schedule=Schedule.parse(item.schedule).describe(),
                                  kind=item.kind))
    console.info(f"  {_where_line(item, console.lang)}")
    return ExitStatus.OK


def _where_line(item: Any, lang: str = "en") -> str:
    """Where its packages go, and whether it may capture on the local network."""
    return render(Msg("cli.watch.where", out=item.out_dir or "none",
                      private="yes" if item.allow_private_network else "no"), lang, "cli")


def _list(args: argparse.Namespace, console: Console) -> ExitStatus:
    items = _store().items()
    if args.json:
        console.json({"watched": [i.to_json() for i in items]})
        return ExitStatus.OK
    if not items:
        console.say(console.t("cli.watch.nothing"))
    for i in items:
        counts = (console.t("cli.watch.counts_account", count=i.posts_found)
                  if i.kind == "account" else
                  console.t("cli.watch.counts_thread", versions=i.versions,
                            replies=i.replies if i.replies is not None else "-"))
        kind = console.t("watch.kind", kind=i.kind)
        state = console.t("watch.status", status=i.status)
        # the columns as wide as the language's words need (English: as always, 8 and 13)
        console.say(f"{kind:<{max(8, len(kind) + 1)}} {state:<{max(13, len(state) + 1)}} "
                    f"{i.url}")
        console.say(f"{'':22}{_checks_line(i, console.lang)}, {counts}")
        console.say(f"{'':22}{_where_line(i, console.lang)}")
        if i.last_error:
            console.say(f"{'':22}" + console.t("cli.watch.last_error",
                                               error=console.show(i.last_error)))
    return ExitStatus.OK


def _when(value: str | None) -> str:
    """A time from the watch list (UTC) in Europe/Oslo time with its zone, as the capture
    sheets give it: ``2026-12-07 10:19 CET``."""
    from zoneinfo import ZoneInfo

    from somecapture.watch.store import parse_iso

    moment = parse_iso(value) if value else None
    if moment is None:
        return value or "-"
    local = moment.astimezone(ZoneInfo("Europe/Oslo"))
    return local.strftime("%Y-%m-%d %H:%M ") + str(local.tzname())


def _checks_line(item: Any, lang: str = "en") -> str:
    """Last and next check and how many checks were made: the successful ones, and the
    failed ones since the last that succeeded (``checks`` counts only checks that
    succeeded)."""
    return render(Msg("cli.watch.checks", last=_when(item.last_check),
                      next=_when(item.next_check), checks=item.checks,
                      failures=item.failures or 0, since="yes" if item.checks else "no"),
                  lang, "cli")


def _remove(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.watch.store import unwatch_url

    store = _store()
    item = unwatch_url(store, args.url)
    console.say(console.t("cli.watch.removed", url=item.url))
    if item.kind == "account":
        left = [i for i in store.items() if i.account_url == item.url]
        if left:
            console.info("  " + console.t("cli.watch.posts_left", count=len(left)))
    console.info("  " + console.t("cli.watch.kept"))
    return ExitStatus.OK


def _run(args: argparse.Namespace, console: Console, options: CaptureOptions) -> ExitStatus:
    from somecapture.package.bag import prepare_out_dir
    from somecapture.pipeline import out_dir_for
    from somecapture.watch.runner import WatchRound, WatchRunner

    if args.cheap_checks < 0:
        raise OptionsError(Msg("cli.watch.cheap_checks", value=args.cheap_checks))
    prepare_out_dir(out_dir_for(options).expanduser().resolve())

    runner = WatchRunner(options, _listener(console),
                         cheap_checks_per_round=args.cheap_checks)
    status = ExitStatus.OK
    try:
        while True:
            done: WatchRound = asyncio.run(runner.run_round(now=args.now))
            status = _report(done, console, args.json)
            if args.once:
                return status
            args.now = False  # --now applies to the first round only
            time.sleep(_pause(runner))
    except KeyboardInterrupt:
        console.error(Msg("cli.watch.interrupted"))
        return ExitStatus.INTERRUPTED


def _listener(console: Console) -> Any:
    """A round's progress on the console; a failed check is not printed here but once, by
    :func:`_report`, as an error (it is in the round's ``failed`` list)."""
    from somecapture.watch.runner import WatchNote

    def listen(event: Event) -> None:
        if isinstance(event, WatchNote):
            if not event.failed:
                console.info(event.text)
        else:
            console.on_event(event)
    return listen


def _pause(runner: Any) -> float:
    """Seconds until the next item is due (at most the cheap checks' pace)."""
    from somecapture.watch.store import parse_iso

    now = datetime.now(UTC)
    due = [d for i in runner.store.items() if (d := parse_iso(i.next_check)) is not None]
    wait = min(((d - now).total_seconds() for d in due), default=_MAX_SLEEP_S)
    return max(30.0, min(float(_MAX_SLEEP_S), wait))


def _report(done: Any, console: Console, as_json: bool) -> ExitStatus:
    if done.skipped:
        console.info(Msg("cli.watch.nothing_done", why=done.skipped))
    for version in done.published:
        console.say(version.package)
    for failure in done.failed:
        console.error(Msg("cli.watch.failure", url=failure.url, error=failure.error))
    console.info(Msg("cli.watch.round", checked=done.checked, published=len(done.published),
                     unchanged=len(done.unchanged), failed=len(done.failed),
                     discovered=len(done.discovered)))
    if as_json:
        console.json(done.to_json())
    if done.failed:
        return ExitStatus.FAILED
    return ExitStatus.PARTIAL if done.partial else ExitStatus.OK


def _install(args: argparse.Namespace, console: Console) -> ExitStatus:
    from somecapture.watch.install import (
        ScheduleInstallError,
        Scheduler,
        check_every,
        check_paths,
        watch_command,
    )

    # bad input is said before anything is written (main() prints it, exit 2)
    check_every(args.every)
    check_paths(args.out, args.config)
    try:
        entry = Scheduler().install(watch_command(args.out, args.config), args.every)
    except ScheduleInstallError as exc:
        console.error(exc)
        return ExitStatus.ENVIRONMENT
    console.say(console.t("cli.watch.installed", entry=entry.describe()))
    console.info("  " + console.t("cli.watch.installed_runs", every=args.every))
    if args.out is not None and not args.out.expanduser().exists():
        console.info("  " + console.t("cli.watch.out_later",
                                      path=str(args.out.expanduser().resolve())))
    return ExitStatus.OK


def _uninstall(console: Console) -> ExitStatus:
    from somecapture.watch.install import ScheduleInstallError, Scheduler

    try:
        removed = Scheduler().uninstall()
    except ScheduleInstallError as exc:
        console.error(exc)
        return ExitStatus.ENVIRONMENT
    if not removed:
        console.say(console.t("cli.watch.nothing_installed"))
    for entry in removed:
        console.say(console.t("cli.watch.removed_entry", entry=entry.describe()))
    return ExitStatus.OK
