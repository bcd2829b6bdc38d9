"""The operating system's scheduler entry that runs ``somecapture watch run --once``.

* Linux: a systemd user timer (``~/.config/systemd/user/somecapture-watch.timer`` and its
  ``.service``), enabled with ``systemctl --user``; where the user has no systemd instance
  (a container, some terminal servers), one line in the user's crontab, marked so it can be
  found again;
* Windows: a Task Scheduler task ``somecapture-watch`` (``schtasks /Create``);
* macOS: a launchd agent ``~/Library/LaunchAgents/no.somecapture.watch.plist``.

The entry runs the round as the user who installed it, with the same Python (or the same
standalone executable) and the options given at installation (``--out``, ``--config``).
Every program this module starts goes through one ``run`` function, so tests replace it and
nothing on the test machine is scheduled.
"""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from somecapture.errors import OptionsError, SomecaptureError
from somecapture.messages import Msg, message_of

NAME = "somecapture-watch"
LAUNCHD_LABEL = "no.somecapture.watch"
#: marks the crontab line this module wrote (and removes)
CRON_MARK = "# somecapture-watch (written by 'somecapture watch install-schedule')"
DEFAULT_EVERY_MIN = 15

#: ``run(argv, stdin_text)`` -> (exit status, standard output)
Run = Callable[[Sequence[str], str | None], tuple[int, str]]


class ScheduleInstallError(SomecaptureError):
    """The scheduler entry could not be written or removed (the message says what to do).

    No code of its own (the generic one): the command line exits with its environment
    status."""


def run_program(argv: Sequence[str], stdin_text: str | None = None) -> tuple[int, str]:
    """Run a scheduler program (``systemctl``, ``crontab``, ``schtasks``, ``launchctl``)."""
    try:
        done = subprocess.run(list(argv), input=stdin_text, capture_output=True, text=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return done.returncode, (done.stdout or "") + (done.stderr or "")


@dataclass(frozen=True)
class ScheduleEntry:
    """What was installed or removed, for the user."""

    system: str  # systemd | cron | schtasks | launchd
    where: str
    commands: tuple[tuple[str, ...], ...] = ()
    files: tuple[Path, ...] = field(default=())
    #: cron: the line written (or removed) in the user's crontab
    line: str = ""

    def describe(self) -> str:
        """What and where (a catalogue message): the files written (or removed), or the
        crontab line itself."""
        if self.system == "cron":
            return Msg("watch.entry.cron", line=self.line)
        if self.system == "schtasks":
            return Msg("watch.entry.schtasks", name=self.where)
        files = ", ".join(str(p) for p in self.files) or self.where
        if self.system == "systemd":
            return Msg("watch.entry.systemd", name=f"{NAME}.timer", files=files)
        return Msg("watch.entry.launchd", name=LAUNCHD_LABEL, files=files)


def watch_command(out_dir: Path | None = None, config: Path | None = None) -> list[str]:
    """The command the entry runs: this Python (or this standalone executable) with
    ``watch run --once --quiet`` and the folders given."""
    if getattr(sys, "frozen", False):
        argv = [sys.executable]
    else:
        argv = [sys.executable, "-m", "somecapture"]
    argv += ["watch", "run", "--once", "--quiet"]
    if out_dir is not None:
        argv += ["--out", str(Path(out_dir).expanduser().resolve())]
    if config is not None:
        argv += ["--config", str(Path(config).expanduser().resolve())]
    return argv


def check_paths(out_dir: Path | None, config: Path | None) -> None:
    """``--out`` and ``--config`` as the scheduled round will use them, checked now: it runs
    unattended, and a folder or file that does not work would fail every round unseen.
    Raises :class:`OptionsError` naming the flag. Nothing is created: a folder that does
    not exist yet is made by the first round, so it is enough that its nearest existing
    parent is a folder this user may write in."""
    from somecapture.config import load_config

    if config is not None:
        try:
            load_config(Path(config).expanduser())
        except OptionsError as exc:
            raise OptionsError(Msg("option.named", option="--config",
                                   problem=message_of(exc))) from None
    if out_dir is not None:
        target = Path(out_dir).expanduser().resolve()
        existing = target
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        problem = None
        if not existing.is_dir():
            problem = "not_folder"
        elif not os.access(existing, os.W_OK | os.X_OK):
            problem = "not_writable"
        if problem:
            raise OptionsError(Msg("watch.out_unusable", option="--out", path=str(target),
                                   existing=str(existing), reason=problem))


#: minutes between rounds that divide an hour evenly: cron's ``*/N`` gives even gaps only
#: for these (``*/7`` runs at :56 and again at :00), and every scheduler gets the same choice
EVERY_CHOICES = tuple(n for n in range(1, 61) if 60 % n == 0)


def check_every(minutes: int) -> int:
    """How often the round runs, checked: minutes that divide an hour evenly."""
    if minutes not in EVERY_CHOICES:
        choices = ", ".join(str(n) for n in EVERY_CHOICES[:-1])
        raise OptionsError(Msg("watch.every", minutes=str(minutes), choices=choices,
                               last=EVERY_CHOICES[-1], default=DEFAULT_EVERY_MIN))
    return minutes


# -- the texts of the entries ----------------------------------------------------------------
def _systemd_quote(arg: str) -> str:
    # systemd's own quoting: double quotes with backslash escapes, % doubled (specifiers)
    # and $ doubled (ExecStart= expands $NAME and ${NAME}: a folder named "$HOME" stays)
    escaped = (arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
               .replace("$", "$$"))
    return f'"{escaped}"' if any(c in arg for c in ' \t"\\\'%;$') or not arg else escaped


def systemd_units(command: Sequence[str], every_min: int) -> tuple[str, str]:
    """The ``.service`` and ``.timer`` unit texts."""
    service = (
        "[Unit]\n"
        "Description=somecapture: check the watch list (one round)\n"
        "Documentation=https://github.com/somecapture/somecapture#watch\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={' '.join(_systemd_quote(a) for a in command)}\n"
        "Nice=10\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=somecapture: check the watch list every {every_min} minutes\n\n"
        "[Timer]\n"
        "OnBootSec=5min\n"
        f"OnUnitActiveSec={every_min}min\n"
        "AccuracySec=1min\n"
        f"Unit={NAME}.service\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return service, timer


def crontab_line(command: Sequence[str], every_min: int) -> str:
    """The crontab line (``%`` escaped: cron reads it as a line break)."""
    when = "0 * * * *" if every_min == 60 else f"*/{every_min} * * * *"
    text = " ".join(shlex.quote(a) for a in command).replace("%", "\\%")
    return f"{when} {text} {CRON_MARK}"


#: the longest command Task Scheduler takes in ``/TR``
SCHTASKS_MAX_TR = 261


def schtasks_create(command: Sequence[str], every_min: int) -> list[str]:
    """The ``schtasks /Create`` command line (Windows). Raises
    :class:`ScheduleInstallError` when the command is longer than Task Scheduler takes."""
    line = subprocess.list2cmdline(list(command))
    if len(line) > SCHTASKS_MAX_TR:
        raise ScheduleInstallError(Msg("watch.schtasks_too_long", length=len(line),
                                       most=SCHTASKS_MAX_TR))
    return ["schtasks", "/Create", "/F", "/TN", NAME, "/SC", "MINUTE", "/MO", str(every_min),
            "/TR", line]


def schtasks_delete() -> list[str]:
    """The ``schtasks /Delete`` command line (Windows)."""
    return ["schtasks", "/Delete", "/F", "/TN", NAME]


def launchd_plist(command: Sequence[str], every_min: int) -> bytes:
    """The launchd agent's property list (macOS)."""
    return plistlib.dumps({
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(command),
        "StartInterval": every_min * 60,
        "RunAtLoad": False,
        "ProcessType": "Background",
    })


# -- installing -------------------------------------------------------------------------------
@dataclass
class Scheduler:
    """Writes and removes the entry on ``platform``, under ``home`` (``env`` gives
    ``XDG_CONFIG_HOME``), starting programs through ``run``."""

    platform: str = sys.platform
    home: Path = field(default_factory=Path.home)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    run: Run = run_program
    which: Callable[[str], str | None] = shutil.which

    def _unit_dir(self) -> Path:
        config = self.env.get("XDG_CONFIG_HOME") or str(self.home / ".config")
        return Path(config) / "systemd" / "user"

    def _plist_path(self) -> Path:
        return self.home / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"

    def _has_systemd_user(self) -> bool:
        if self.which("systemctl") is None:
            return False
        status, _ = self.run(["systemctl", "--user", "show-environment"], None)
        return status == 0

    def _must(self, argv: Sequence[str], stdin_text: str | None = None,
              what: Msg | None = None) -> None:
        status, output = self.run(argv, stdin_text)
        if status != 0:
            raise ScheduleInstallError(Msg(
                "watch.program_failed", command=" ".join(argv[:3]), status=str(status),
                output=output.strip()[:300], what=what or "",
                has_what="yes" if what else "no"))

    def install(self, command: Sequence[str], every_min: int = DEFAULT_EVERY_MIN
                ) -> ScheduleEntry:
        """Write (or replace) the entry and switch it on."""
        check_every(every_min)
        if self.platform == "win32":
            argv = schtasks_create(command, every_min)
            self._must(argv, what=Msg("watch.what.schtasks"))
            return ScheduleEntry("schtasks", NAME, (tuple(argv),))
        if self.platform == "darwin":
            path = self._plist_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(launchd_plist(command, every_min))
            # an older agent of the same label is unloaded first (errors: none was loaded)
            uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
            self.run(["launchctl", "bootout", f"gui/{uid}", str(path)], None)
            argv = ["launchctl", "bootstrap", f"gui/{uid}", str(path)]
            self._must(argv, what=Msg("watch.what.launchd", path=str(path)))
            return ScheduleEntry("launchd", str(path), (tuple(argv),), (path,))
        if self._has_systemd_user():
            unit_dir = self._unit_dir()
            unit_dir.mkdir(parents=True, exist_ok=True)
            service, timer = systemd_units(command, every_min)
            service_path, timer_path = (unit_dir / f"{NAME}.service",
                                        unit_dir / f"{NAME}.timer")
            service_path.write_text(service, encoding="utf-8")
            timer_path.write_text(timer, encoding="utf-8")
            commands = (("systemctl", "--user", "daemon-reload"),
                        ("systemctl", "--user", "enable", "--now", f"{NAME}.timer"))
            for step in commands:
                self._must(step)
            return ScheduleEntry("systemd", str(timer_path), commands,
                                 (service_path, timer_path))
        if self.which("crontab") is None:
            raise ScheduleInstallError(Msg("watch.no_scheduler"))
        lines = [line for line in self._crontab() if CRON_MARK not in line]
        line = crontab_line(command, every_min)
        lines.append(line)
        self._must(["crontab", "-"], "\n".join(lines) + "\n")
        return ScheduleEntry("cron", "crontab -l", (("crontab", "-"),), line=line)

    def _crontab(self) -> list[str]:
        """The user's crontab, line by line. Only "there is none" is an empty one: any other
        failure raises :class:`ScheduleInstallError` (writing the crontab back
        would replace what could not be read)."""
        status, text = self.run(["crontab", "-l"], None)
        if status == 0:
            return [line for line in text.splitlines() if line.strip()]
        # cronie and Vixie cron: "no crontab for <user>"; busybox: "can't open '<user>': No
        # such file or directory"
        if "no crontab for" in text.lower() or "no such file or directory" in text.lower():
            return []
        raise ScheduleInstallError(Msg("watch.crontab_unreadable", status=str(status),
                                       output=text.strip()[:300] or Msg("watch.no_output")))

    def uninstall(self) -> list[ScheduleEntry]:
        """Remove every entry this module writes here; what was removed (empty: none)."""
        removed: list[ScheduleEntry] = []
        if self.platform == "win32":
            status, _ = self.run(schtasks_delete(), None)
            if status == 0:
                removed.append(ScheduleEntry("schtasks", NAME, (tuple(schtasks_delete()),)))
            return removed
        if self.platform == "darwin":
            path = self._plist_path()
            if path.exists():
                uid = str(os.getuid()) if hasattr(os, "getuid") else "0"
                argv = ("launchctl", "bootout", f"gui/{uid}", str(path))
                self.run(argv, None)
                path.unlink()
                removed.append(ScheduleEntry("launchd", str(path), (argv,), (path,)))
            return removed
        unit_dir = self._unit_dir()
        units = [unit_dir / f"{NAME}.timer", unit_dir / f"{NAME}.service"]
        if any(p.exists() for p in units):
            commands: list[tuple[str, ...]] = []
            if self.which("systemctl") is not None:
                commands.append(("systemctl", "--user", "disable", "--now", f"{NAME}.timer"))
                self.run(commands[-1], None)
            for path in units:
                path.unlink(missing_ok=True)
            if commands:
                commands.append(("systemctl", "--user", "daemon-reload"))
                self.run(commands[-1], None)
            removed.append(ScheduleEntry("systemd", str(units[0]), tuple(commands),
                                         tuple(units)))
        if self.which("crontab") is not None:
            lines = self._crontab()
            kept = [line for line in lines if CRON_MARK not in line]
            if len(kept) != len(lines):
                self._must(["crontab", "-"], "\n".join(kept) + "\n" if kept else "")
                gone = [line for line in lines if CRON_MARK in line]
                removed.append(ScheduleEntry("cron", "crontab -l", (("crontab", "-"),),
                                             line="\n".join(gone)))
        return removed
