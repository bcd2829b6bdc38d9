"""somecapture benchmark: against a plain Playwright script, scaling, tall pages, batches.

Run: ``./dev bench`` (or ``.venv/bin/python -m bench.run``). Every figure is measured in this
run, side by side, on generated threads served from 127.0.0.1 (``bench/site.py``: replies by
infinite scroll, by a "more" button, by nested "N svar" toggles, each request answered after
30-80 ms). The baseline is the plainest script a competent user would write (Playwright,
``goto(wait_until="networkidle")``, scroll to the bottom and click the reply buttons until the
page stops growing, full-page screenshot), with no somecapture code or policy in it.

Every measurement runs in a fresh subprocess (peak memory, ``ru_maxrss``, is that of one
capture; the browser's is sampled apart), baseline and tool interleaved. ``--before REV`` also
measures the tool at REV (a temporary ``git worktree``), interleaved with the current tree, by
the same measuring code. ``--only SECTION[,SECTION]`` runs some sections; ``--profile`` runs
one 40-reply capture under cProfile (every thread) into ``bench/results/profile.txt``.
Results: ``bench/results/benchmark.{md,json}``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the somecapture tree a child process measures: ``--before``'s worktree, or this one. First on
#: sys.path, so ``import somecapture`` (only ever inside functions) finds that tree's code.
CODE = Path(os.environ.get("BENCH_CODE") or ROOT).resolve()
sys.path.insert(0, str(CODE))

RESULTS = ROOT / "bench" / "results"
#: functions in which a profiled thread waits (left out of the profile's "busy" tables)
IDLE = ("posix.waitpid", "select.epoll", "_queue.SimpleQueue", "_thread.lock",
        "time.sleep", "select.select", "_thread.RLock")
BROWSER = os.environ.get("BENCH_BROWSER", "/usr/bin/chromium")
SECTIONS = ("overhead", "scaling", "tall", "batch", "distributed", "profile")
#: somecapture's viewport (CaptureOptions.viewport_width_px / viewport_height_px, 1280×900 when
#: this was written), hard-coded: the baseline uses no somecapture code, and a different
#: viewport would change the page height both screenshots cover
VIEWPORT = {"width": 1280, "height": 900}
#: the plain script's notion of a reply button (its author's one regular expression)
BUTTONS = r"svar|replies|more|flere"
#: what the plain script counts as a reply: its author knows the page
REPLY_SELECTOR = "li.reply"


# -- one measurement (runs in a child process) -------------------------------------------
class _BrowserMemory:
    """Samples, every 100 ms, the RSS of the descendants of a measured child process
    (Playwright's driver and the browser), from the parent: sampling inside the child would
    take the child's interpreter lock from the work being measured (walking /proc every
    100 ms beside a packaging thread made PDF rendering up to four times slower)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        try:
            child = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.wait(0.1):
            total = 0
            try:
                descendants = child.children(recursive=True)
            except psutil.Error:
                return
            for proc in descendants:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)

    def __enter__(self) -> _BrowserMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


_CLICK_JS = """re => { let n = 0;
  for (const b of document.querySelectorAll("button"))
    if (new RegExp(re, "i").test(b.innerText) && b.offsetParent !== null && !b.disabled) {
      b.click(); n++; }
  return n; }"""


async def _baseline(url: str, click: bool) -> dict[str, Any]:
    """The plain script: no somecapture code, no policy of its own but "until it stops
    growing". ``click``: each round also clicks every visible button whose text matches
    :data:`BUTTONS`.

    Note: Playwright's ``wait_for_load_state("networkidle")`` returns at once when the page
    has reached that state before (it is a state of the navigation, not of the moment), so
    after the first round the wait is in effect the 300 ms: exactly what this script's
    author gets."""
    from playwright.async_api import async_playwright

    root = hasattr(os, "geteuid") and os.geteuid() == 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=BROWSER,
                                          args=["--no-sandbox"] if root else [])
        page = await browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
        await page.goto(url, wait_until="networkidle")
        height, count, rounds, clicks = -1, -1, 0, 0
        while rounds < 1000:
            rounds += 1
            await page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            if click:
                clicks += await page.evaluate(_CLICK_JS, BUTTONS)
            await page.wait_for_load_state("networkidle")
            await page.wait_for_timeout(300)
            h, n = await page.evaluate(
                f"[document.body.scrollHeight, document.querySelectorAll({REPLY_SELECTOR!r})"
                ".length]")
            if h <= height and n <= count:
                break
            height, count = h, n
        shot = await page.screenshot(full_page=True)
        ids = await page.eval_on_selector_all(REPLY_SELECTOR,
                                              "els => els.map(e => e.dataset.replyId)")
        await browser.close()
    return {"replies": len(ids), "reply_ids": ids, "rounds": rounds, "clicks": clicks,
            "screenshot_bytes": len(shot)}


def _capture_options(out: Path) -> Any:
    from somecapture.options import CaptureOptions

    return CaptureOptions(out_dir=out, allow_private_network=True,
                          catalog_path=out / "catalog.sqlite")


async def _capture(url: str, out: Path, t0: float) -> dict[str, Any]:
    """One ``capture_url`` of this tree's somecapture, with the time of each event it sends
    (for the time outside the steps)."""
    import somecapture
    from somecapture.pipeline import capture_url

    t_imported = time.perf_counter()
    events: list[tuple[float, str, str | None]] = []

    def listener(event: Any) -> None:
        events.append((time.perf_counter(), type(event).__name__, getattr(event, "step", None)))

    result = await capture_url(url, _capture_options(out), listener)
    t_returned = time.perf_counter()
    steps = [(s.name, s.duration_s) for s in result.steps]
    browser = (result.provenance or {}).get("browser") or {}
    replies = result.thread.get("replies", [])
    return {"status": result.status.value, "replies": len(replies),
            "reply_ids": [r.get("id") for r in replies], "steps": dict(steps),
            "warnings": result.warnings, "error": result.error,
            "code": str(Path(somecapture.__file__).resolve().parent.parent),
            "browser": browser.get("executable"),
            "timeline": {"t0": t0, "imported": t_imported, "returned": t_returned,
                         "events": events}}


def phases(timeline: dict[str, Any], steps: dict[str, float], wall_s: float
           ) -> dict[str, float]:
    """Where the wall time outside the steps went, from the event times of one capture:
    imports; start-up until ``CaptureStarted`` (browser, proxy); each stretch inside the
    capture while no step ran (named after the step it preceded); from ``CaptureFinished`` to
    ``capture_url``'s return (catalogue, closing the browser); the event loop's shutdown."""
    t0, events = timeline["t0"], timeline["events"]
    out = {"imports": timeline["imported"] - t0}
    started = next((t for t, kind, _ in events if kind == "CaptureStarted"), None)
    finished = next((t for t, kind, _ in events if kind == "CaptureFinished"), None)
    if started is None or finished is None:
        return {k: round(v, 3) for k, v in out.items()}
    out["start-up (browser, proxy)"] = started - timeline["imported"]
    open_steps: set[str] = set()
    last = started
    for t, kind, step in events:
        if kind == "StepStarted":
            if not open_steps and t - last >= 0.005:
                key = f"gap before {step}"
                out[key] = out.get(key, 0.0) + t - last
            open_steps.add(step or "")
        elif kind == "StepFinished" and step in open_steps:
            open_steps.discard(step)
            if not open_steps:
                last = t
    out["gap after the last step"] = finished - last
    out["after CaptureFinished (catalogue, browser close)"] = timeline["returned"] - finished
    out["event loop shutdown"] = t0 + wall_s - timeline["returned"]
    out["sum of steps"] = steps_sum(steps)
    return {k: round(v, 3) for k, v in out.items()}


def steps_sum(steps: dict[str, float]) -> float:
    """Seconds in steps: the seal is made inside the package step (counted there)."""
    return sum(v for k, v in steps.items() if k != "seal")


async def _batch(urls: list[str], out: Path, concurrency: int) -> dict[str, Any]:
    from somecapture.batch import BatchOptions, BatchRunner
    from somecapture.batchinput import parse_list_bytes

    listing = out / "list.txt"
    listing.write_text("\n".join(urls) + "\n")
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    runner = BatchRunner(_capture_options(out), BatchOptions(concurrency=concurrency))
    result = await runner.run(runner.start(parsed, listing))
    return {"complete": result.count("complete"), "partial": result.count("partial"),
            "failed": result.count("failed"), "total": len(result.items)}


async def _queued(urls: list[str], out: Path, queue: str) -> dict[str, Any]:
    """A distributed batch (``batch --queue``) of ``urls``, captured by the running workers."""
    from somecapture.batch import BatchOptions
    from somecapture.batchinput import parse_list_bytes
    from somecapture.distributed.address import parse_queue_url
    from somecapture.distributed.store import BatchChannel, client_for
    from somecapture.distributed.submit import QueuedBatchRunner

    listing = out / "list.txt"
    listing.write_text("\n".join(urls) + "\n")
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    address = parse_queue_url(queue)
    runner = QueuedBatchRunner(_capture_options(out), BatchOptions(), queue=address)
    result = await runner.run(runner.start(parsed, listing))
    client = client_for(address)
    # how long each capture took inside its worker (the rest is the queue's share)
    seconds = [r["seconds"] for r in BatchChannel(client, result.batch_id).results().values()
               if r.get("seconds") is not None]
    client.close()
    return {"complete": result.count("complete"), "total": len(result.items),
            "worker_capture_s_mean": round(statistics.mean(seconds), 3) if seconds else None}


def _profiled(url: str, out: Path) -> dict[str, Any]:
    """One capture under cProfile, every thread profiled on its own (packaging runs in a
    worker thread), merged; the top 30 by cumulative and by own time, for all threads and for
    the main thread (the event loop) apart."""
    import cProfile
    import io
    import pstats

    threads: list[cProfile.Profile] = []
    original = threading.Thread.run

    def run(self: threading.Thread) -> None:
        prof = cProfile.Profile()
        threads.append(prof)
        prof.enable()
        try:
            original(self)
        finally:
            prof.disable()

    threading.Thread.run = run  # type: ignore[method-assign]
    main = cProfile.Profile()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="somecapture-bench-") as tmp:
        main.enable()
        data = asyncio.run(_capture(url, Path(tmp), t0))
        main.disable()
    wall = time.perf_counter() - t0
    threading.Thread.run = original  # type: ignore[method-assign]

    def table(stats: pstats.Stats, key: str) -> str:
        buf = io.StringIO()
        stats.stream = buf  # type: ignore[attr-defined]
        stats.sort_stats(key).print_stats(30)
        text = buf.getvalue()
        return text[text.find("   ncalls"):].rstrip() if "   ncalls" in text else text

    def top(stats: pstats.Stats, key: str, n: int) -> list[dict[str, Any]]:
        """The first ``n`` by ``key`` that are not waits (a thread blocked in epoll, in a
        queue or in waitpid is idle, not working)."""
        stats.sort_stats(key)
        rows = []
        for func in stats.fcn_list:  # type: ignore[attr-defined]
            name = _function_name(func)
            if any(w in name for w in IDLE):
                continue
            _cc, ncalls, tt, ct, _callers = stats.stats[func]  # type: ignore[attr-defined]
            rows.append({"function": name, "ncalls": ncalls, "tottime": round(tt, 3),
                         "cumtime": round(ct, 3)})
            if len(rows) == n:
                break
        return rows

    def busy(stats: pstats.Stats) -> str:
        return "\n".join(f"{r['tottime']:9.3f} {r['cumtime']:9.3f} {r['ncalls']:>9} "
                         f"{r['function']}" for r in top(stats, "tottime", 30))

    every = pstats.Stats(main)
    for prof in threads:
        every.add(prof)
    every.dump_stats(str(out.with_suffix(".prof")))
    own = pstats.Stats(main)
    text = "\n\n".join([
        f"wall {wall:.2f} s, capture {data['status']}, {data['replies']} replies, "
        f"{len(threads)} other threads profiled; code {data['code']}",
        "== all threads, by cumulative time (a thread's cumulative time includes its waits)",
        table(every, "cumulative"), "== all threads, by own time (tottime)",
        table(every, "tottime"), "== main thread (the event loop), by cumulative time",
        table(own, "cumulative"), "== main thread, by own time", table(own, "tottime"),
        "== all threads, by own time, waits left out (tottime, cumtime, calls)", busy(every)])
    return {"text": text, "wall_s": round(wall, 3), "status": data["status"],
            "top_tottime": top(every, "tottime", 15),
            "top_cumulative_main_thread": top(own, "cumulative", 15)}


def _function_name(func: tuple[str, int, str]) -> str:
    """``file:line(name)``, or the name alone for a built-in (as pstats prints them)."""
    file, line, name = func
    return name if file == "~" and line == 0 else f"{file}:{line}({name})"


def one(kind: str, arg: str) -> dict[str, Any]:
    """Run one measurement in this process; returns its figures."""
    if kind == "profile":
        spec = json.loads(arg)
        return _profiled(spec["url"], Path(spec["out"]))
    with tempfile.TemporaryDirectory(prefix="somecapture-bench-") as tmp:
        t0 = time.perf_counter()
        if kind.startswith("baseline"):
            data = asyncio.run(_baseline(arg, click=kind == "baseline-click"))
        elif kind == "capture":
            data = asyncio.run(_capture(arg, Path(tmp), t0))
        elif kind == "batch":
            spec = json.loads(arg)
            data = asyncio.run(_batch(spec["urls"], Path(tmp), spec["concurrency"]))
        elif kind == "queued":
            spec = json.loads(arg)
            data = asyncio.run(_queued(spec["urls"], Path(spec["out"]), spec["queue"]))
        else:
            raise SystemExit(f"unknown measurement {kind}")
        elapsed = time.perf_counter() - t0
    if kind == "capture":
        data["phases"] = phases(data.pop("timeline"), data["steps"], elapsed)
    data.update(seconds=round(elapsed, 3),
                tool_peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                        / 1024, 1))
    return data


# -- the parent: which code, one child per measurement ------------------------------------
class Tree:
    """A somecapture tree to measure: ``after`` (this working tree, or a worktree of
    ``--after``) or ``before`` (a worktree of ``--before``)."""

    def __init__(self, label: str, path: Path, rev: str,
                 uncommitted: list[str] | None = None) -> None:
        self.label, self.path, self.rev = label, path.resolve(), rev
        #: ``git status`` lines of somecapture/ when the tree is this working tree
        self.uncommitted = uncommitted or []

    def env(self) -> dict[str, str]:
        """The environment of a child measuring this tree (subprocesses it starts, such as a
        worker's, import the same tree)."""
        env = dict(os.environ, BENCH_CODE=str(self.path))
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.path)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        return env


def _measure(kind: str, arg: str, tree: Tree | None = None) -> dict[str, Any]:
    """One measurement in a fresh child process (this file's code, ``tree``'s somecapture)."""
    env = tree.env() if tree else dict(os.environ, BENCH_CODE=str(ROOT))
    t0 = time.perf_counter()
    with subprocess.Popen([sys.executable, "-m", "bench.run", "--one", kind, arg],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                          env=env) as proc, _BrowserMemory(proc.pid) as mem:
        stdout, stderr = proc.communicate(timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {arg} ({tree.label if tree else 'baseline'}) failed:\n"
                           f"{stderr[-3000:]}")
    data = dict(json.loads(stdout.strip().splitlines()[-1]))
    data["browser_peak_rss_mib"] = round(mem.peak / 2**20, 1)
    data["process_s"] = round(time.perf_counter() - t0, 3)
    if "reply_ids" in data:
        _score(data, arg)
    if tree is not None and "code" in data and Path(data["code"]) != tree.path:
        raise RuntimeError(f"the {tree.label} measurement imported somecapture from "
                           f"{data['code']}, not {tree.path}")
    return data


def _score(data: dict[str, Any], url: str) -> None:
    """Replies counted against the thread's own ids: ``replies`` is how many of the
    thread's replies were captured, ``extra_replies`` what was captured besides them
    (duplicates, or replies the page does not have)."""
    from urllib.parse import urlsplit

    from bench.site import reply_ids

    parts = urlsplit(url)
    expected = reply_ids(f"{parts.path}?{parts.query}")
    ids = data.pop("reply_ids")
    if expected:
        data["replies"] = len(expected & set(ids))
        data["extra_replies"] = len(ids) - data["replies"]


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def working_tree() -> Tree:
    """This working tree as ``after``, with what is not committed in somecapture/."""
    dirty = _git("status", "--porcelain", "--", "somecapture").splitlines()
    return Tree("after", ROOT, _git("rev-parse", "--short=12", "HEAD"), dirty)


@contextlib.contextmanager
def worktree(rev: str, label: str) -> Iterator[Tree]:
    """A temporary ``git worktree`` of ``rev``, removed afterwards."""
    sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    tmp = Path(tempfile.mkdtemp(prefix=f"somecapture-bench-{label}-"))
    path = tmp / "tree"
    _git("worktree", "add", "--detach", "--quiet", str(path), sha)
    try:
        # byte-compiled now, as this working tree's modules are: else the first measurement
        # of the tree would pay for compiling every module
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(path / "somecapture")],
                       check=True, capture_output=True)
        yield Tree(label, path, sha[:12])
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- 1. against the plain script ----------------------------------------------------------
#: (key, path, thread kind, n, what it is); the baseline clicks on the button threads
PAGES = (
    ("scroll-40", "/thread?n=40", "thread", 40,
     "40 replies, infinite scroll (+8 behind '1 svar')"),
    ("scroll-30", "/thread?n=30", "thread", 30,
     "30 replies, infinite scroll (+6 behind '1 svar')"),
    ("more-40", "/more?n=40", "more", 40, "40 replies, 'Vis flere svar' button"),
    ("nested-6", "/nested?n=6&depth=3", "nested", 6,
     "41 replies: 6 with 3 levels of answers behind 'N svar' toggles"),
)


def overhead(site: Any, trees: list[Tree], repeats: int) -> dict[str, Any]:
    """Per page: the plain script and the tool (each tree), interleaved, ``repeats`` times.
    On the scroll threads the script is measured twice: as the issue wrote it (scrolling
    only; the nested '1 svar' answers stay closed) and also clicking (as complete as the
    tool)."""
    from bench.site import present

    out: dict[str, Any] = {}
    for key, path, kind, n, what in PAGES:
        url = site.url(path)
        plan: list[tuple[str, Tree | None]] = [("baseline-click", None)]
        if kind == "thread":
            plan.insert(0, ("baseline", None))
        plan += [("capture", t) for t in trees]
        runs: dict[str, list[dict[str, Any]]] = {}
        if key == PAGES[0][0]:
            # one untimed run of each side first: the first start of a browser or of a
            # tree's imports after a while reads its files from disk, later ones from cache
            for what_kind, tree in plan:
                _measure(what_kind, url, tree)
        load = _load()
        for i in range(repeats):
            # interleaved, and the order rotated, so drift and position hit every side alike
            order = plan[i % len(plan):] + plan[:i % len(plan)]
            for what_kind, tree in order:
                name = tree.label if tree else what_kind
                runs.setdefault(name, []).append(_measure(what_kind, url, tree))
        page: dict[str, Any] = {"what": what, "path": path, "present": present(kind, n),
                                "load_before": load, "load_after": _load(),
                                "primary_baseline": "baseline" if kind == "thread"
                                else "baseline-click"}
        for name, rs in runs.items():
            side: dict[str, Any] = {"median_s": _median([r["seconds"] for r in rs]),
                                    "runs_s": [r["seconds"] for r in rs],
                                    "process_median_s": _median([r["process_s"] for r in rs]),
                                    "replies": [r["replies"] for r in rs]}
            if name in ("baseline", "baseline-click"):
                side["rounds"] = [r["rounds"] for r in rs]
            else:
                side.update(_tool_summary(rs))
            page[name] = side
        base = page[page["primary_baseline"]]["median_s"]
        clicking = page["baseline-click"]["median_s"]
        for t in trees:
            tool = page[t.label]
            tool["ratio"] = round(tool["median_s"] / base, 3)
            tool["ratio_vs_clicking_script"] = round(tool["median_s"] / clicking, 3)
            # never less complete than the script, in any run
            tool["less_complete_than_script"] = min(tool["replies"]) < max(
                max(page[b]["replies"]) for b in ("baseline", "baseline-click") if b in page)
        out[key] = page
    return out


def _tool_summary(rs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians per step and per phase over the runs of one tree on one page."""
    steps = {k: _median([r["steps"].get(k, 0.0) for r in rs]) for k in rs[0]["steps"]}
    phase_keys = dict.fromkeys(k for r in rs for k in r["phases"])
    return {"status": [r["status"] for r in rs], "steps_median_s": steps,
            "errors": [r["error"] for r in rs if r.get("error")],
            "extra_replies": [r.get("extra_replies", 0) for r in rs],
            "phases_median_s": {k: _median([r["phases"].get(k, 0.0) for r in rs])
                                for k in phase_keys},
            "outside_steps_median_s": _median([r["seconds"] - steps_sum(r["steps"])
                                               for r in rs]),
            "tool_peak_rss_mib": max(r["tool_peak_rss_mib"] for r in rs),
            "browser_peak_rss_mib": max(r["browser_peak_rss_mib"] for r in rs),
            "browser": rs[0].get("browser"), "warnings": rs[-1]["warnings"]}


# -- 2-5. scaling, a tall page, batches, the distributed batch ----------------------------
def scaling(site: Any, trees: list[Tree], quick: bool) -> dict[str, Any]:
    """One capture per size and tree: time, completeness, peak memory."""
    from bench.site import present

    out: dict[str, Any] = {}
    for n in (10, 100) if quick else (10, 100, 1000):
        row: dict[str, Any] = {"present": present("thread", n)}
        for tree in trees:
            r = _measure("capture", site.url(f"/thread?n={n}"), tree)
            row[tree.label] = {k: r.get(k) for k in (
                "seconds", "status", "replies", "extra_replies", "error", "steps",
                "tool_peak_rss_mib", "browser_peak_rss_mib", "warnings")}
        out[str(n)] = row
    return out


def tall(site: Any, trees: list[Tree]) -> dict[str, Any]:
    """A 50,000 px page: time and peak memory."""
    out: dict[str, Any] = {"height_px": 50000}
    for tree in trees:
        r = _measure("capture", site.url("/tall?h=50000"), tree)
        out[tree.label] = {k: r.get(k) for k in ("seconds", "status", "error", "steps",
                                                 "tool_peak_rss_mib", "browser_peak_rss_mib")}
    return out


def batch(site: Any, trees: list[Tree], captures: int, repeats: int) -> dict[str, Any]:
    """Throughput of a local batch (one browser) at concurrency 1, 2 and 4, trees
    interleaved; the median of ``repeats``."""
    urls = [site.url(f"/thread?n=10&b={i}") for i in range(captures)]
    out: dict[str, Any] = {"captures": captures}
    for c in (1, 2, 4):
        row: dict[str, Any] = {}
        runs: dict[str, list[dict[str, Any]]] = {t.label: [] for t in trees}
        for i in range(repeats):
            for tree in trees[i % len(trees):] + trees[:i % len(trees)]:
                runs[tree.label].append(_measure(
                    "batch", json.dumps({"urls": urls, "concurrency": c}), tree))
        for label, rs in runs.items():
            seconds = _median([r["seconds"] for r in rs])
            row[label] = {"seconds": seconds, "runs_s": [r["seconds"] for r in rs],
                          "complete": min(r["complete"] for r in rs),
                          "partial": max(r.get("partial", 0) for r in rs),
                          "failed": max(r.get("failed", 0) for r in rs),
                          "captures_per_minute": round(60 * captures / seconds, 1),
                          "tool_peak_rss_mib": max(r["tool_peak_rss_mib"] for r in rs),
                          "browser_peak_rss_mib": max(r["browser_peak_rss_mib"] for r in rs)}
        out[str(c)] = row
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def distributed(site: Any, captures: int, tree: Tree | None = None) -> dict[str, Any]:
    """Throughput of a distributed batch with 1, 2 and 3 worker processes (concurrency 1
    each, started and ready before the batch is timed) on a redis-server of its own."""
    import signal

    binary = shutil.which("redis-server")
    if binary is None:
        return {"skipped": "redis-server is not installed (./dev bench installs it)"}
    tree = tree or working_tree()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="somecapture-bench-queue-") as tmp:
        port = _free_port()
        queue = f"redis://127.0.0.1:{port}/0"
        redis = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no", "--dir", tmp],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for count in (1, 2, 3):
                folder = Path(tmp) / f"out-{count}"
                folder.mkdir()
                logs = [folder / f"worker-{i}.log" for i in range(count)]
                workers = [subprocess.Popen(
                    [sys.executable, "-m", "somecapture", "worker", "--queue", queue,
                     "--out", str(folder), "--concurrency", "1",
                     "--allow-private-network"],  # the bench site is on 127.0.0.1
                    stdout=open(log, "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
                    cwd=tree.path, env=tree.env(), start_new_session=True) for log in logs]
                def ready(logs: list[Path] = logs) -> bool:
                    return all(b"ready" in log.read_bytes() for log in logs)

                try:
                    _wait_for(ready, 180, "the workers")
                    urls = [site.url(f"/thread?n=10&b={i}&workers={count}")
                            for i in range(captures)]
                    r = _measure("queued", json.dumps({"urls": urls, "queue": queue,
                                                       "out": str(folder)}), tree)
                finally:
                    for w in workers:
                        os.killpg(w.pid, signal.SIGTERM)
                    for w in workers:
                        w.wait(120)
                out[str(count)] = {"captures": r["total"], "complete": r["complete"],
                                   "seconds": r["seconds"],
                                   "captures_per_minute": round(60 * r["total"] / r["seconds"],
                                                                1),
                                   "worker_capture_s_mean": r["worker_capture_s_mean"]}
        finally:
            redis.kill()
            redis.wait(10)
    return out


def distributed_or_skipped(site: Any, captures: int, tree: Tree | None = None
                           ) -> dict[str, Any]:
    """:func:`distributed`, or "skipped" with the reason when it fails: the rest of the
    report stands."""
    try:
        # (the tree only when given: tests stand in a two-argument ``distributed``)
        return distributed(site, captures) if tree is None else distributed(site, captures,
                                                                             tree)
    except Exception as exc:  # noqa: BLE001 - any failure of the distributed part
        return {"skipped": f"the distributed batch failed: {type(exc).__name__}: {exc}"}


def _queue_overhead(d: dict[str, Any], local: dict[str, Any] | None) -> None:
    """The queue's share of a capture: end to end with one worker, less the capture inside
    the worker, and against the local batch at concurrency 1 (the issue-20 definition)."""
    one_worker = d.get("1")
    if not one_worker:
        return
    per_capture = one_worker["seconds"] / one_worker["captures"]
    o = {"per_capture_s": round(per_capture, 3),
         "worker_capture_s": one_worker["worker_capture_s_mean"],
         "queue_overhead_per_capture_s": round(
             per_capture - (one_worker["worker_capture_s_mean"] or 0), 3)}
    if local:
        o["local_per_capture_s"] = round(local["seconds"] / local["captures"], 3)
        o["overhead_vs_local_s"] = round(o["per_capture_s"] - o["local_per_capture_s"], 3)
    d["overhead"] = o


def profile(site: Any, trees: list[Tree], out: Path) -> dict[str, Any]:
    """One 40-reply capture per tree under cProfile; the tables go to ``profile.txt``."""
    texts, summary = [], {}
    for tree in trees:
        r = _measure("profile", json.dumps({"url": site.url("/thread?n=40"),
                                            "out": str(out / f"profile-{tree.label}")}), tree)
        texts.append(f"######## {tree.label} ({tree.rev or 'working tree'})\n\n{r['text']}")
        summary[tree.label] = {k: r[k] for k in ("wall_s", "status", "top_tottime",
                                                 "top_cumulative_main_thread")}
    (out / "profile.txt").write_text("\n\n".join(texts) + "\n")
    return summary


# -- the whole benchmark ------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """The machine the figures were measured on."""
    import psutil

    from somecapture._version import __version__

    browser = subprocess.run([BROWSER, "--version"], capture_output=True,
                             text=True).stdout.strip()
    return {"somecapture": __version__, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "cpu_count": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "browser": browser, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average_at_start": _load()}


def run_all(args: argparse.Namespace, sections: set[str], trees: list[Tree]
            ) -> dict[str, Any]:
    """The chosen sections; returns the report data."""
    from bench.site import BenchSite

    report: dict[str, Any] = {
        "machine": machine(), "repeats": args.repeats, "quick": args.quick,
        "trees": {t.label: {"rev": t.rev, "path": str(t.path), "uncommitted": t.uncommitted}
                  for t in trees}}
    captures = 4 if args.quick else 8
    with BenchSite() as site:
        if "overhead" in sections:
            report["overhead"] = overhead(site, trees, args.repeats)
        if "scaling" in sections:
            report["scaling"] = scaling(site, trees, args.quick)
        if "tall" in sections:
            report["tall"] = tall(site, trees)
        if "batch" in sections:
            report["batch"] = batch(site, trees, captures, args.batch_repeats)
        if "distributed" in sections:
            report["distributed"] = {}
            for tree in trees:
                d = distributed_or_skipped(site, captures, tree)
                local = report.get("batch", {}).get("1", {}).get(tree.label)
                _queue_overhead(d, local and {"seconds": local["seconds"],
                                              "captures": captures})
                report["distributed"][tree.label] = d
        if "profile" in sections:
            report["profile"] = profile(site, trees, args.out)
    report["machine"]["load_average_at_end"] = _load()
    return report


# -- the report ---------------------------------------------------------------------------
def _pair(row: dict[str, Any], labels: list[str], key: str, fmt: str = "{}") -> str:
    """``before / after`` (or the one value) of ``row[label][key]``."""
    vals = [fmt.format(row[lb][key]) if lb in row and row[lb].get(key) is not None else "–"
            for lb in labels]
    return " / ".join(vals)


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown."""
    m = report["machine"]
    labels = [lb for lb in ("before", "after") if lb in report["trees"]]
    trees = report["trees"]
    both = "before / after" if len(labels) == 2 else "after"
    code = ", ".join(f"{lb}: {trees[lb]['rev']}" + (
        f" + uncommitted changes in {len(trees[lb]['uncommitted'])} files of somecapture/ (the "
        "working tree)" if trees[lb].get("uncommitted") else "") for lb in labels)
    lines = ["# somecapture benchmark", "",
             f"Measured {m['date']} on {m['os']}, {m['cpu_count']} cores, {m['memory_gib']} GiB, "
             f"{m['browser']}, Python {m['python']}, somecapture {m['somecapture']}. Load "
             f"average (1/5/15 min) {m['load_average_at_start']} at the start, "
             f"{m.get('load_average_at_end')} at the end. Code {code}."]
    lines += ["", ("Where two figures are given, they are before / after. " if len(labels) == 2
                   else "") + "Every figure comes from a fresh process; the site answers each "
              "request after 30-80 ms."]
    if "overhead" in report:
        lines += _overhead_md(report, labels)
    if "scaling" in report:
        lines += ["", "## Scaling with thread size (infinite scroll)", "",
                  f"| replies | time (s) {both} | status {both} | captured {both} of present "
                  f"| tool peak RSS (MiB) {both} | browser peak RSS (MiB) {both} |",
                  "|---|---|---|---|---|---|"]
        for n, row in report["scaling"].items():
            lines.append(f"| {n} | {_pair(row, labels, 'seconds', '{:.1f}')} | "
                         f"{_pair(row, labels, 'status')} | "
                         f"{_pair(row, labels, 'replies')} of {row['present']}"
                         f"{_extra(row, labels)} | "
                         f"{_pair(row, labels, 'tool_peak_rss_mib')} | "
                         f"{_pair(row, labels, 'browser_peak_rss_mib')} |")
    if "tall" in report:
        t = report["tall"]
        lines += ["", "## A 50,000 px page", "",
                  f"Time {both}: {_pair(t, labels, 'seconds', '{:.1f}')} s, status "
                  f"{_pair(t, labels, 'status')}; tool peak RSS "
                  f"{_pair(t, labels, 'tool_peak_rss_mib')} MiB; browser peak "
                  f"{_pair(t, labels, 'browser_peak_rss_mib')} MiB; screenshot step "
                  f"{' / '.join(str(t[lb]['steps'].get('screenshot')) for lb in labels)} s."]
    if "batch" in report:
        b = report["batch"]
        lines += ["", f"## Batch throughput (one browser per batch, {b['captures']} captures "
                  "of 10-reply threads)", "",
                  f"| concurrency | time (s) {both} | captures/min {both} | complete-partial-"
                  f"failed {both} | tool peak RSS (MiB) {both} |", "|---|---|---|---|---|"]
        for c in ("1", "2", "4"):
            row = b[c]
            lines.append(f"| {c} | {_pair(row, labels, 'seconds', '{:.1f}')} | "
                         f"{_pair(row, labels, 'captures_per_minute')} | "
                         f"{' / '.join(_outcomes(row.get(lb)) for lb in labels)} | "
                         f"{_pair(row, labels, 'tool_peak_rss_mib')} |")
    if "distributed" in report:
        lines += _distributed_md(report["distributed"], labels)
    if "profile" in report:
        lines += ["", "## Profile of one 40-reply capture (cProfile, every thread)", "",
                  "Whole tables in profile.txt (cProfile sees the Python threads of the tool's "
                  "process, not the browser or any child process). Top 10 by own time "
                  "(tottime, s), waits (epoll, queues, waitpid, locks, sleep) left out:"]
        for lb in labels:
            p = report["profile"].get(lb)
            if not p:
                continue
            lines += ["", f"{lb} (wall {p['wall_s']:.2f} s under the profiler):", "",
                      "| function | calls | tottime | cumtime |", "|---|---|---|---|"]
            for row in p["top_tottime"][:10]:
                lines.append(f"| `{row['function']}` | {row['ncalls']} | {row['tottime']} | "
                             f"{row['cumtime']} |")
    return "\n".join(lines) + "\n"


def _statuses(statuses: list[str]) -> str:
    """"complete", or e.g. "4 complete, 1 failed" when the runs differ."""
    counts = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    return statuses[0] if len(counts) == 1 else ", ".join(f"{n} {s}" for s, n in counts.items())


def _outcomes(row: dict[str, Any] | None) -> str:
    """"complete-partial-failed" of a batch."""
    if not row:
        return "–"
    return f"{row['complete']}-{row.get('partial', '?')}-{row.get('failed', '?')}"


def _extra(row: dict[str, Any], labels: list[str]) -> str:
    """" (+k / +j not on the page)" when a capture has replies the thread does not."""
    extra = [row[lb].get("extra_replies") or 0 for lb in labels if lb in row]
    return f" (+{' / +'.join(map(str, extra))} not on the page)" if any(extra) else ""


def _overhead_md(report: dict[str, Any], labels: list[str]) -> list[str]:
    both = "before / after" if len(labels) == 2 else "after"
    o = report["overhead"]
    lines = ["", "## Against the plain Playwright script", "",
             "The script: `goto(wait_until=\"networkidle\")`, then rounds of scrolling to the "
             "bottom (and, on the button threads, clicking every visible button matching "
             f"`/{BUTTONS}/i`), `networkidle` + 300 ms, until height and reply count stop "
             "growing; a full-page screenshot. On the scroll threads it is measured as the "
             "issue wrote it (scrolling only: the answers behind '1 svar' stay closed) and "
             f"also clicking. Medians of {report['repeats']}, interleaved (the "
             "order rotated each round), after one untimed run of each side.", "",
             f"| page | script (s) | script, clicking too (s) | somecapture (s) {both} | ratio "
             f"{both} | ratio to the clicking script {both} | replies: script / clicking "
             f"script / somecapture {both} / present | somecapture's status {both} |",
             "|---|---|---|---|---|---|---|---|"]
    for page in o.values():
        script = page.get("baseline")
        clicking = page["baseline-click"]
        flag = " ⚠ less complete than the script" if any(
            page[lb]["less_complete_than_script"] for lb in labels) else ""

        def replies(side: dict[str, Any] | None) -> str:
            if side is None:
                return "–"
            r, extra = side["replies"], max(side.get("extra_replies") or [0])
            text = str(r[0]) if min(r) == max(r) else f"{min(r)}–{max(r)}"
            return text + (f" (+{extra} not on the page)" if extra else "")

        lines.append(
            f"| {page['what']} | {script['median_s']:.2f} " if script else
            f"| {page['what']} | – ")
        lines[-1] += (f"| {clicking['median_s']:.2f} | "
                      f"{_pair(page, labels, 'median_s', '{:.2f}')} | "
                      f"{_pair(page, labels, 'ratio', '{:.2f}×')} | "
                      f"{_pair(page, labels, 'ratio_vs_clicking_script', '{:.2f}×')} | "
                      f"{replies(script)} / {replies(clicking)} / "
                      f"{' / '.join(replies(page[lb]) for lb in labels)} / "
                      f"{page['present']}{flag} | "
                      f"{' / '.join(_statuses(page[lb]['status']) for lb in labels)} |")
    lines += ["", "The ratio is to the script as the issue wrote it on the scroll threads (to the "
              "clicking script on the button threads). Load average (1 min) before each page: "
              + ", ".join(f"{k} {p['load_before'][0]}" for k, p in o.items()) + "."]
    for page in o.values():
        lines += ["", f"### {page['what']}: where somecapture's time goes (medians, s)", "",
                  f"| | {' | '.join(labels)} |", "|---|" + "---|" * len(labels)]
        step_names = list(dict.fromkeys(s for lb in labels for s in page[lb]["steps_median_s"]))
        for s in step_names:
            lines.append(f"| step {s} | " + " | ".join(
                f"{page[lb]['steps_median_s'].get(s, 0):.2f}" for lb in labels) + " |")
        lines.append("| **outside the steps (wall − steps)** | " + " | ".join(
            f"**{page[lb]['outside_steps_median_s']:.2f}**" for lb in labels) + " |")
        phase_names = list(dict.fromkeys(p for lb in labels
                                         for p in page[lb]["phases_median_s"]))
        for p in phase_names:
            if p == "sum of steps":
                continue
            lines.append(f"| · {p} | " + " | ".join(
                f"{page[lb]['phases_median_s'].get(p, 0):.2f}" for lb in labels) + " |")
        lines.append("| **wall** | " + " | ".join(f"**{page[lb]['median_s']:.2f}**"
                                                   for lb in labels) + " |")
        lines.append("| peak RSS tool / browser (MiB) | " + " | ".join(
            f"{page[lb]['tool_peak_rss_mib']} / {page[lb]['browser_peak_rss_mib']}"
            for lb in labels) + " |")
    lines += ["", "'·' rows split the time outside the steps by the capture's events: the "
              "gaps are stretches of the capture in which no step ran (named by the step that "
              "followed); the phase medians need not add up to the median outside the steps."]
    return lines


def _distributed_md(dist: dict[str, Any], labels: list[str]) -> list[str]:
    lines = ["", "## Distributed batch (Dramatiq on Redis, worker processes of concurrency 1)"]
    for lb in labels:
        d = dist.get(lb) or {}
        lines += (["", f"{lb}:"] if len(labels) > 1 else []) + [""]
        if "skipped" in d:
            lines.append(f"Not measured: {d['skipped']}.")
            continue
        lines += ["| workers | captures | time (s) | captures/min | mean capture in the worker "
                  "(s) |", "|---|---|---|---|---|"]
        for count in ("1", "2", "3"):
            w = d.get(count)
            if w:
                lines.append(f"| {count} | {w['captures']} ({w['complete']} complete) | "
                             f"{w['seconds']:.1f} | {w['captures_per_minute']} | "
                             f"{w['worker_capture_s_mean']} |")
        o = d.get("overhead")
        if o:
            text = (f"Inside the queue (one worker: {o['per_capture_s']:.2f} s per capture end "
                    f"to end, less {o['worker_capture_s']:.2f} s inside the worker): "
                    f"{o['queue_overhead_per_capture_s']:.2f} s.")
            if "overhead_vs_local_s" in o:
                text = (f"Queue overhead per capture against the local batch at concurrency 1 "
                        f"({o['local_per_capture_s']:.2f} s per capture): "
                        f"{o['overhead_vs_local_s']:.2f} s. ") + text
            lines += ["", text]
    return lines


def main() -> None:
    """Command line: ``--one KIND ARG`` (internal) or the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=None,
                        help="runs per side and page against the script (default 5; "
                             "1 with --quick)")
    parser.add_argument("--batch-repeats", type=int, default=1,
                        help="runs per batch concurrency and tree (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: one repeat, smaller sizes")
    parser.add_argument("--before", metavar="REV",
                        help="also measure somecapture at REV (a temporary git worktree)")
    parser.add_argument("--after", metavar="REV",
                        help="measure somecapture at REV as 'after' (a temporary git worktree) "
                             "instead of this working tree and its uncommitted changes")
    parser.add_argument("--only", metavar="SECTION[,SECTION]",
                        help=f"run only these sections ({', '.join(SECTIONS)})")
    parser.add_argument("--profile", action="store_true",
                        help="profile one 40-reply capture (alone, unless --only names more)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    args.repeats = args.repeats or (1 if args.quick else 5)
    sections = set(SECTIONS)
    if args.only:
        sections = {s.strip() for s in args.only.split(",") if s.strip()}
        unknown = sections - set(SECTIONS)
        if unknown:
            parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(SECTIONS)}")
    if args.profile:
        sections = (sections if args.only else set()) | {"profile"}
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        trees = [stack.enter_context(worktree(args.after, "after")) if args.after
                 else working_tree()]
        if args.before:
            trees.insert(0, stack.enter_context(worktree(args.before, "before")))
        report = run_all(args, sections, trees)
    suffix = "" if sections == set(SECTIONS) else "-" + "-".join(
        s for s in SECTIONS if s in sections)
    (args.out / f"benchmark{suffix}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"benchmark{suffix}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
