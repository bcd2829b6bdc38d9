"""The scheduler entry of ``watch install-schedule``: a systemd user timer (or a crontab line)
on Linux, a Task Scheduler task on Windows, a launchd agent on macOS. Written under a
temporary home; the programs that would switch it on are stand-ins that record their
arguments, so nothing is scheduled on this machine."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from somecapture.errors import OptionsError
from somecapture.messages import render
from somecapture.watch.install import (
    CRON_MARK,
    ScheduleInstallError,
    Scheduler,
    check_every,
    check_paths,
    schtasks_create,
    systemd_units,
    watch_command,
)

COMMAND = ["/opt/some capture/python", "-m", "somecapture", "watch", "run", "--once",
           "--quiet", "--out", "/srv/arkiv/100%/$HOME"]


def systemd_words(exec_start: str) -> list[str]:
    """ExecStart= as systemd reads it: % and $ doubled stand for themselves; a lone $ would
    be a variable systemd expands."""
    assert "$" not in exec_start.replace("$$", ""), exec_start
    return shlex.split(exec_start.replace("%%", "%").replace("$$", "$"))


class Programs:
    """Stand-ins for systemctl and crontab: what was run, and a crontab in memory."""

    def __init__(self, *, systemd: bool, crontab: str | None = "") -> None:
        self.systemd = systemd
        self.crontab = crontab  # None: the user has no crontab yet
        self.calls: list[tuple[str, ...]] = []

    def which(self, name: str) -> str | None:
        return f"/usr/bin/{name}" if name in ("systemctl", "crontab") else None

    def run(self, argv: Sequence[str], stdin_text: str | None) -> tuple[int, str]:
        self.calls.append(tuple(argv))
        if argv[0] == "systemctl":
            return (0, "") if self.systemd else (1, "Failed to connect to bus")
        if list(argv) == ["crontab", "-l"]:
            return (0, self.crontab) if self.crontab is not None else (1, "no crontab for u")
        if list(argv) == ["crontab", "-"]:
            self.crontab = stdin_text or ""
            return 0, ""
        return 127, "unexpected"


def _linux(tmp_path: Path, programs: Programs) -> Scheduler:
    return Scheduler(platform="linux", home=tmp_path / "home",
                     env={"XDG_CONFIG_HOME": str(tmp_path / "config")},
                     run=programs.run, which=programs.which)


def _units(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(path.read_text("utf-8"))
    return parser


def test_systemd_user_timer_is_written_and_enabled_then_removed(tmp_path: Path) -> None:
    programs = Programs(systemd=True)
    entry = _linux(tmp_path, programs).install(COMMAND, 20)
    unit_dir = tmp_path / "config" / "systemd" / "user"
    assert entry.system == "systemd"
    assert sorted(p.name for p in unit_dir.iterdir()) == [
        "somecapture-watch.service", "somecapture-watch.timer"]
    service = _units(unit_dir / "somecapture-watch.service")
    assert service["Service"]["Type"] == "oneshot"
    exec_start = service["Service"]["ExecStart"]
    # systemd's quoting: the path with a space stays one word, % and $ are doubled (they
    # would be a specifier and a variable)
    assert systemd_words(exec_start) == COMMAND
    timer = _units(unit_dir / "somecapture-watch.timer")
    assert timer["Timer"]["OnUnitActiveSec"] == "20min"
    assert timer["Timer"]["Unit"] == "somecapture-watch.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert ("systemctl", "--user", "enable", "--now", "somecapture-watch.timer") in \
        programs.calls
    assert programs.crontab == ""  # the crontab was not touched

    removed = _linux(tmp_path, programs).uninstall()
    assert [r.system for r in removed] == ["systemd"]
    assert list(unit_dir.iterdir()) == []
    assert ("systemctl", "--user", "disable", "--now", "somecapture-watch.timer") in \
        programs.calls


def test_without_systemd_a_marked_crontab_line_keeps_the_users_own_lines(
        tmp_path: Path) -> None:
    own = "0 3 * * * /usr/local/bin/backup\n"
    programs = Programs(systemd=False, crontab=own)
    entry = _linux(tmp_path, programs).install(COMMAND, 15)
    assert entry.system == "cron"
    assert not (tmp_path / "config" / "systemd").exists()
    lines = (programs.crontab or "").splitlines()
    assert lines[0] == own.strip()
    assert len(lines) == 2 and lines[1].startswith("*/15 * * * * ")
    assert lines[1].endswith(CRON_MARK)
    # cron's % is a line break: escaped; the command reads back as the one asked for
    command_text = lines[1][len("*/15 * * * * "):-len(CRON_MARK)].strip()
    assert shlex.split(command_text.replace("\\%", "%")) == COMMAND
    # installing again replaces the line, never adds a second one
    _linux(tmp_path, programs).install(COMMAND, 60)
    lines = (programs.crontab or "").splitlines()
    assert len(lines) == 2 and lines[1].startswith("0 * * * * ")
    removed = _linux(tmp_path, programs).uninstall()
    assert [r.system for r in removed] == ["cron"]
    assert programs.crontab == own


def test_a_user_without_any_crontab_gets_one(tmp_path: Path) -> None:
    programs = Programs(systemd=False, crontab=None)
    _linux(tmp_path, programs).install(COMMAND, 15)
    assert (programs.crontab or "").count(CRON_MARK) == 1


def test_nothing_installed_nothing_removed(tmp_path: Path) -> None:
    assert _linux(tmp_path, Programs(systemd=True)).uninstall() == []


def test_a_failing_systemctl_is_reported(tmp_path: Path) -> None:
    class Broken(Programs):
        def run(self, argv: Sequence[str], stdin_text: str | None) -> tuple[int, str]:
            if "enable" in argv:
                return 1, "Unit file is masked."
            return super().run(argv, stdin_text)

    with pytest.raises(ScheduleInstallError, match="masked"):
        _linux(tmp_path, Broken(systemd=True)).install(COMMAND, 15)


def test_windows_task_scheduler_command() -> None:
    argv = schtasks_create(["C:\\Program Files\\somecapture\\somecapture.exe", "watch", "run",
                            "--once"], 15)
    assert argv[:3] == ["schtasks", "/Create", "/F"]
    assert argv[argv.index("/TN") + 1] == "somecapture-watch"
    assert (argv[argv.index("/SC") + 1], argv[argv.index("/MO") + 1]) == ("MINUTE", "15")
    # /TR is one command line as Windows splits it: the path with spaces is quoted
    assert argv[argv.index("/TR") + 1] == \
        '"C:\\Program Files\\somecapture\\somecapture.exe" watch run --once'

    calls: list[tuple[str, ...]] = []

    def run(args: Sequence[str], stdin_text: str | None) -> tuple[int, str]:
        calls.append(tuple(args))
        return 0, "SUCCESS"

    scheduler = Scheduler(platform="win32", run=run)
    assert scheduler.install(COMMAND, 30).system == "schtasks"
    assert [r.system for r in scheduler.uninstall()] == ["schtasks"]
    assert calls[-1] == ("schtasks", "/Delete", "/F", "/TN", "somecapture-watch")


def test_macos_launchd_agent(tmp_path: Path) -> None:
    calls: list[tuple[str, ...]] = []

    def run(args: Sequence[str], stdin_text: str | None) -> tuple[int, str]:
        calls.append(tuple(args))
        return 0, ""

    scheduler = Scheduler(platform="darwin", home=tmp_path, run=run)
    entry = scheduler.install(COMMAND, 15)
    path = tmp_path / "Library" / "LaunchAgents" / "no.somecapture.watch.plist"
    assert entry.files == (path,)
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == "no.somecapture.watch"
    assert agent["ProgramArguments"] == COMMAND
    assert agent["StartInterval"] == 900
    assert calls[-1][:2] == ("launchctl", "bootstrap")
    assert [r.system for r in scheduler.uninstall()] == ["launchd"]
    assert not path.exists()


def test_the_command_runs_this_python_and_the_interval_is_checked(tmp_path: Path) -> None:
    import sys

    argv = watch_command(tmp_path / "out", None)
    assert argv[:3] == [sys.executable, "-m", "somecapture"]
    assert argv[3:7] == ["watch", "run", "--once", "--quiet"]
    assert argv[-2:] == ["--out", str((tmp_path / "out").resolve())]
    with pytest.raises(OptionsError, match="--every"):
        Scheduler(platform="linux", run=Programs(systemd=True).run).install(COMMAND, 0)


def test_the_written_command_starts(tmp_path: Path) -> None:
    """The command the entry holds is one this Python can run (its --help)."""
    argv = watch_command(tmp_path, None)
    done = subprocess.run([*argv[:-2], "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--once" in done.stdout


def test_a_crontab_that_cannot_be_read_is_never_replaced(tmp_path: Path) -> None:
    class Unreadable(Programs):
        def run(self, argv: Sequence[str], stdin_text: str | None) -> tuple[int, str]:
            if list(argv) == ["crontab", "-l"]:
                self.calls.append(tuple(argv))
                return 1, "crontab: cannot open /var/spool/cron/u: Permission denied"
            return super().run(argv, stdin_text)

    own = "0 3 * * * /usr/local/bin/backup\n"
    programs = Unreadable(systemd=False, crontab=own)
    with pytest.raises(ScheduleInstallError, match="could not be read.*Permission denied"):
        _linux(tmp_path, programs).install(COMMAND, 15)
    with pytest.raises(ScheduleInstallError, match="not changed"):
        _linux(tmp_path, programs).uninstall()
    assert programs.crontab == own
    assert ("crontab", "-") not in programs.calls


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    import shutil
    import sys

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # a command that exists (verify checks it), with an output folder named like a variable
    command = watch_command(tmp_path / "arkiv $HOME 100%", None)
    service, timer = systemd_units(command, 15)
    unit_dir = tmp_path / "units"
    unit_dir.mkdir()
    (unit_dir / "somecapture-watch.service").write_text(service, "utf-8")
    (unit_dir / "somecapture-watch.timer").write_text(timer, "utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit_dir / "somecapture-watch.timer"),
                           str(unit_dir / "somecapture-watch.service")],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and "Failed to initialize manager" in done.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    exec_start = _units(unit_dir / "somecapture-watch.service")["Service"]["ExecStart"]
    assert systemd_words(exec_start) == command
    assert command[0] == sys.executable


def test_a_task_scheduler_command_too_long_is_refused_clearly() -> None:
    long = ["C:\\Program Files\\somecapture\\somecapture.exe", "watch", "run", "--once",
            "--out", "C:\\Users\\" + "a" * 240 + "\\arkiv"]
    with pytest.raises(ScheduleInstallError, match="Task Scheduler takes at most 261.*--out"):
        schtasks_create(long, 15)


def test_what_was_installed_and_removed_is_said_with_its_place(tmp_path: Path) -> None:
    programs = Programs(systemd=False, crontab="")
    entry = _linux(tmp_path, programs).install(COMMAND, 15)
    line = (programs.crontab or "").strip()
    assert entry.describe() == f"this line in your crontab ('crontab -l' shows it): {line}"
    (removed,) = _linux(tmp_path, programs).uninstall()
    assert removed.describe().endswith(f": {line}")
    timer = _linux(tmp_path, Programs(systemd=True)).install(COMMAND, 15)
    unit_dir = tmp_path / "config" / "systemd" / "user"
    assert timer.describe() == (
        f"the systemd user timer somecapture-watch.timer ({unit_dir / 'somecapture-watch.service'}"
        f", {unit_dir / 'somecapture-watch.timer'})")


@pytest.mark.parametrize("minutes", [7, 9, 25, 45, 59, 0, 61, 90])
def test_only_minutes_that_divide_an_hour_are_taken(minutes: int) -> None:
    with pytest.raises(OptionsError, match=f"--every {minutes}: .*divides an hour evenly"):
        check_every(minutes)


def test_every_divisor_of_an_hour_gives_even_gaps_in_cron() -> None:
    for minutes in (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60):
        assert check_every(minutes) == minutes
        line = _cron_minutes(minutes)
        assert all((b - a) % 60 == minutes % 60 for a, b in zip(line, line[1:] + [line[0]],
                                                                strict=True))


def _cron_minutes(every: int) -> list[int]:
    from somecapture.watch.install import crontab_line

    field = crontab_line(["x"], every).split()[0]
    step = 60 if field == "0" else int(field.split("/")[1])
    return list(range(0, 60, step))


def test_the_output_folder_is_checked_without_creating_it(tmp_path: Path) -> None:
    later = tmp_path / "new" / "deeper" / "arkiv"
    check_paths(later, None)
    assert not (tmp_path / "new").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    with pytest.raises(OptionsError, match="--out: Cannot write to the output folder .*"
                       "a-file is not a folder"):
        check_paths(blocker / "x" / "y", None)
    assert not (blocker.parent / "x").exists() and blocker.is_file()


def test_what_was_installed_is_said_in_the_archivists_language(tmp_path: Path) -> None:
    programs = Programs(systemd=False, crontab="")
    entry = _linux(tmp_path, programs).install(COMMAND, 15)
    line = (programs.crontab or "").strip()
    assert render(entry.describe(), "nn") == (
        f"denne linja i crontab-en din («crontab -l» viser ho): {line}")
    with pytest.raises(OptionsError) as caught:
        check_every(7)
    assert render(caught.value, "nb") == (
        "--every 7: oppgi minuttene mellom rundene som et tall som deler en time likt: "
        "1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 eller 60 (standard 15).")
