"""somecapture benchmark: overhead against a bare browser, scaling, tall pages, batches.

Run: ``./dev bench`` (or ``.venv/bin/python -m bench.run``). Every figure is measured in this
run, side by side, on a generated thread served from 127.0.0.1 (``bench/site.py``): ratios are
against a baseline measured in the same run, never against numbers from another machine.
Each measurement runs in a fresh subprocess, so peak memory (``ru_maxrss``) is that of one
capture. Results: ``bench/results/benchmark.{md,json}`` (and the figures in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.site import BenchSite  # noqa: E402

RESULTS = ROOT / "bench" / "results"


# -- one measurement (runs in a child process) -------------------------------------------
class _BrowserMemory:
    """Samples the RSS of this process's descendants (the browser) every 100 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.1):
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)

    def __enter__(self) -> _BrowserMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _baseline(url: str) -> dict[str, Any]:
    """The bare-browser limit: same browser, flags, viewport, navigation, expansion rounds and
    full-page screenshot, with no recording, overlay handling or packaging."""
    from playwright.async_api import async_playwright

    from somecapture.engine.browser import launch_args, running_as_root
    from somecapture.options import CaptureOptions
    from somecapture.sites.base import load_site_data, script

    o = CaptureOptions()
    cfg = load_site_data("generic").raw
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=os.environ.get("BENCH_BROWSER",
                                                                         "/usr/bin/chromium"),
                                          args=launch_args(),
                                          chromium_sandbox=not running_as_root())
        ctx = await browser.new_context(viewport={"width": o.viewport_width_px,
                                                  "height": o.viewport_height_px})
        page = await ctx.new_page()
        inflight: set[Any] = set()
        last = [time.monotonic()]

        def start(r: Any) -> None:
            inflight.add(r)
            last[0] = time.monotonic()

        def end(r: Any) -> None:
            inflight.discard(r)
            last[0] = time.monotonic()

        page.on("request", start)
        page.on("requestfinished", end)
        page.on("requestfailed", end)

        async def idle(limit: float) -> None:
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                if not inflight and time.monotonic() - last[0] >= o.network_idle_ms / 1000:
                    return
                await asyncio.sleep(0.05)

        await page.goto(url, wait_until="domcontentloaded")
        await page.wait_for_load_state("load")
        await idle(o.settle_timeout_s)
        stable, last_h, last_n = 0, -1, -1
        while stable < 2:
            r = await page.evaluate(script("expand.js"), cfg)
            await asyncio.sleep(0.3)
            await idle(5)
            grew = r["height"] != last_h or r["items"] != last_n
            last_h, last_n = r["height"], r["items"]
            stable = 0 if (r["clicked"] or grew) else stable + 1
        await page.evaluate("window.scrollTo(0, 0)")
        shot = await page.screenshot(full_page=True)
        replies = await page.locator("li.reply").count()
        await browser.close()
    return {"replies": replies, "screenshot_bytes": len(shot)}


async def _capture(url: str, out: Path) -> dict[str, Any]:
    from somecapture.options import CaptureOptions
    from somecapture.pipeline import capture_url

    options = CaptureOptions(out_dir=out, allow_private_network=True,
                             catalog_path=out / "catalog.sqlite")
    result = await capture_url(url, options)
    return {"status": result.status.value, "replies": len(result.thread.get("replies", [])),
            "steps": {s.name: s.duration_s for s in result.steps},
            "warnings": result.warnings, "error": result.error}


async def _batch(urls: list[str], out: Path, concurrency: int) -> dict[str, Any]:
    from somecapture.batch import BatchOptions, BatchRunner
    from somecapture.batchinput import parse_list_bytes
    from somecapture.options import CaptureOptions

    listing = out / "list.txt"
    listing.write_text("\n".join(urls) + "\n")
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    options = CaptureOptions(out_dir=out, allow_private_network=True,
                             catalog_path=out / "catalog.sqlite")
    runner = BatchRunner(options, BatchOptions(concurrency=concurrency))
    result = await runner.run(runner.start(parsed, listing))
    return {"complete": result.count("complete"), "total": len(result.items)}


async def _queued(urls: list[str], out: Path, queue: str) -> dict[str, Any]:
    """A distributed batch (``batch --queue``) of ``urls``, captured by the running workers."""
    from somecapture.batch import BatchOptions
    from somecapture.batchinput import parse_list_bytes
    from somecapture.distributed.address import parse_queue_url
    from somecapture.distributed.store import BatchChannel, client_for
    from somecapture.distributed.submit import QueuedBatchRunner
    from somecapture.options import CaptureOptions

    listing = out / "list.txt"
    listing.write_text("\n".join(urls) + "\n")
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    address = parse_queue_url(queue)
    options = CaptureOptions(out_dir=out, allow_private_network=True,
                             catalog_path=out / "catalog.sqlite")
    runner = QueuedBatchRunner(options, BatchOptions(), queue=address)
    result = await runner.run(runner.start(parsed, listing))
    client = client_for(address)
    # how long each capture took inside its worker (the rest is the queue's share)
    seconds = [r["seconds"] for r in BatchChannel(client, result.batch_id).results().values()
               if r.get("seconds") is not None]
    client.close()
    return {"complete": result.count("complete"), "total": len(result.items),
            "worker_capture_s_mean": round(statistics.mean(seconds), 3) if seconds else None}


def one(kind: str, arg: str) -> dict[str, Any]:
    """Run one measurement in this process; returns its figures."""
    with tempfile.TemporaryDirectory(prefix="somecapture-bench-") as tmp, _BrowserMemory() as mem:
        t0 = time.perf_counter()
        if kind == "baseline":
            data = asyncio.run(_baseline(arg))
        elif kind == "capture":
            data = asyncio.run(_capture(arg, Path(tmp)))
        elif kind.startswith("batch"):
            spec = json.loads(arg)
            data = asyncio.run(_batch(spec["urls"], Path(tmp), spec["concurrency"]))
        elif kind == "queued":
            spec = json.loads(arg)
            data = asyncio.run(_queued(spec["urls"], Path(spec["out"]), spec["queue"]))
        else:
            raise SystemExit(f"unknown measurement {kind}")
        elapsed = time.perf_counter() - t0
    data.update(seconds=round(elapsed, 3),
                tool_peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                        / 1024, 1),
                browser_peak_rss_mib=round(mem.peak / 2**20, 1))
    return data


def _measure(kind: str, arg: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--one", kind, arg],
                          capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {arg} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# -- the distributed batch ----------------------------------------------------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def distributed(site: BenchSite, captures: int) -> dict[str, Any]:
    """Throughput of a distributed batch with 1, 2 and 3 worker processes (concurrency 1
    each, started and ready before the batch is timed) on a redis-server of its own."""
    import shutil
    import signal

    binary = shutil.which("redis-server")
    if binary is None:
        return {"skipped": "redis-server is not installed (./dev bench installs it)"}
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
                    stdout=open(log, "wb"), stderr=subprocess.STDOUT, cwd=ROOT,  # noqa: SIM115
                    start_new_session=True) for log in logs]
                try:
                    _wait_for(lambda logs=logs: all(b"ready" in log.read_bytes()
                                                    for log in logs), 180, "the workers")
                    urls = [site.url(f"/thread?n=10&b={i}&workers={count}")
                            for i in range(captures)]
                    r = _measure("queued", json.dumps({"urls": urls, "queue": queue,
                                                       "out": str(folder)}))
                finally:
                    for w in workers:
                        os.killpg(w.pid, signal.SIGTERM)
                    for w in workers:
                        w.wait(120)
                out[count] = {"captures": r["total"], "complete": r["complete"],
                              "seconds": r["seconds"],
                              "captures_per_minute": round(60 * r["total"] / r["seconds"], 1),
                              "worker_capture_s_mean": r["worker_capture_s_mean"]}
        finally:
            redis.kill()
            redis.wait(10)
    return out


def distributed_or_skipped(site: BenchSite, captures: int) -> dict[str, Any]:
    """:func:`distributed`, or "skipped" with the reason when it fails: the rest of the
    report stands."""
    try:
        return distributed(site, captures)
    except Exception as exc:  # noqa: BLE001 - any failure of the distributed part
        return {"skipped": f"the distributed batch failed: {type(exc).__name__}: {exc}"}


# -- the whole benchmark ------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """The machine the figures were measured on."""
    import psutil

    from somecapture._version import __version__

    browser = subprocess.run([os.environ.get("BENCH_BROWSER", "/usr/bin/chromium"),
                              "--version"], capture_output=True, text=True).stdout.strip()
    return {"somecapture": __version__, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "cpu_count": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "browser": browser, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def run_all(repeats: int, quick: bool) -> dict[str, Any]:
    """Every measurement; returns the report data."""
    report: dict[str, Any] = {"machine": machine(), "repeats": repeats}
    with BenchSite() as site:
        # 1. overhead ratio and the peer figures (40-reply and 30-reply infinite scroll)
        overhead = {}
        for n in (40, 30):
            url = site.url(f"/thread?n={n}")
            base, full = [], []
            for _ in range(repeats):  # interleaved, so drift hits both alike
                base.append(_measure("baseline", url))
                full.append(_measure("capture", url))
            b = statistics.median(x["seconds"] for x in base)
            f = statistics.median(x["seconds"] for x in full)
            overhead[n] = {"baseline_s": b, "capture_s": f, "ratio": round(f / b, 3),
                           "replies_captured": full[-1]["replies"], "replies_present": n + n // 5,
                           "capture_steps_s": full[-1]["steps"],
                           "baseline_runs": [x["seconds"] for x in base],
                           "capture_runs": [x["seconds"] for x in full]}
        report["overhead"] = overhead
        # 2. scaling with thread size
        sizes = (10, 100) if quick else (10, 100, 1000)
        report["scaling"] = {}
        for n in sizes:
            r = _measure("capture", site.url(f"/thread?n={n}"))
            report["scaling"][n] = {"seconds": r["seconds"], "status": r["status"],
                                    "replies_captured": r["replies"],
                                    "replies_present": n + n // 5,
                                    "tool_peak_rss_mib": r["tool_peak_rss_mib"],
                                    "browser_peak_rss_mib": r["browser_peak_rss_mib"],
                                    "steps_s": r["steps"], "warnings": r["warnings"]}
        # 3. a 50,000 px page
        r = _measure("capture", site.url("/tall?h=50000"))
        report["tall"] = {"height_px": 50000, "seconds": r["seconds"], "status": r["status"],
                          "tool_peak_rss_mib": r["tool_peak_rss_mib"],
                          "browser_peak_rss_mib": r["browser_peak_rss_mib"],
                          "steps_s": r["steps"]}
        # 4. batch throughput, one browser per batch
        urls = [site.url(f"/thread?n=10&b={i}") for i in range(4 if quick else 8)]
        report["batch"] = {}
        for c in (1, 2, 4):
            r = _measure("batch", json.dumps({"urls": urls, "concurrency": c}))
            report["batch"][c] = {"captures": r["total"], "complete": r["complete"],
                                  "seconds": r["seconds"],
                                  "captures_per_minute": round(60 * r["total"] / r["seconds"], 1),
                                  "tool_peak_rss_mib": r["tool_peak_rss_mib"],
                                  "browser_peak_rss_mib": r["browser_peak_rss_mib"]}
        # 5. the same batch through the task queue, with 1, 2 and 3 worker processes
        report["distributed"] = distributed_or_skipped(site, len(urls))
        one_worker = report["distributed"].get(1)
        if one_worker:
            # the queue's share of a capture: what a capture takes end to end with one
            # worker, less what it takes inside the worker (enqueue, fetch, result, polling)
            per_capture = one_worker["seconds"] / one_worker["captures"]
            report["distributed"]["overhead"] = {
                "per_capture_s": round(per_capture, 3),
                "worker_capture_s": one_worker["worker_capture_s_mean"],
                "queue_overhead_per_capture_s": round(
                    per_capture - (one_worker["worker_capture_s_mean"] or 0), 3),
                "local_per_capture_s": round(report["batch"][1]["seconds"]
                                             / report["batch"][1]["captures"], 3)}
            o = report["distributed"]["overhead"]
            # the definition: against the local batch (one worker, one browser)
            o["overhead_vs_local_s"] = round(o["per_capture_s"] - o["local_per_capture_s"], 3)
    return report


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown."""
    m = report["machine"]
    lines = ["# somecapture benchmark", "",
             f"Measured {m['date']} on {m['os']}, {m['cpu_count']} cores, {m['memory_gib']} GiB, "
             f"{m['browser']}, Python {m['python']}, somecapture {m['somecapture']}. "
             f"Medians of {report['repeats']} interleaved runs where repeated.", "",
             "## Overhead against the bare browser", "",
             "| thread | bare Playwright (s) | somecapture (s) | ratio | replies captured |",
             "|---|---|---|---|---|"]
    for n, o in report["overhead"].items():
        lines.append(f"| {n} replies, infinite scroll | {o['baseline_s']:.2f} | "
                     f"{o['capture_s']:.2f} | {o['ratio']:.2f}× | "
                     f"{o['replies_captured']} / {o['replies_present']} |")
    lines += ["", "Peer figure (Scoop, same machine class): 15.6 s for a 40-reply and 3.5 s for a "
              "30-reply infinite-scroll thread.", "",
              "## Scaling with thread size", "",
              "| replies | time (s) | status | captured / present | tool peak RSS (MiB) | "
              "browser peak RSS (MiB) |", "|---|---|---|---|---|---|"]
    for n, s in report["scaling"].items():
        lines.append(f"| {n} | {s['seconds']:.1f} | {s['status']} | {s['replies_captured']} / "
                     f"{s['replies_present']} | {s['tool_peak_rss_mib']} | "
                     f"{s['browser_peak_rss_mib']} |")
    t = report["tall"]
    lines += ["", "## Tall page", "",
              f"{t['height_px']:,} px page: {t['seconds']:.1f} s, status {t['status']}, tool peak "
              f"RSS {t['tool_peak_rss_mib']} MiB (goal < 1024), browser peak "
              f"{t['browser_peak_rss_mib']} MiB.", "",
              "## Batch throughput (one browser per batch)", "",
              "| concurrency | captures | time (s) | captures/min | tool peak RSS (MiB) |",
              "|---|---|---|---|---|"]
    for c, b in report["batch"].items():
        lines.append(f"| {c} | {b['captures']} ({b['complete']} complete) | {b['seconds']:.1f} "
                     f"| {b['captures_per_minute']} | {b['tool_peak_rss_mib']} |")
    d = report.get("distributed") or {}
    lines += ["", "## Distributed batch (Dramatiq on Redis, worker processes of concurrency 1)",
              ""]
    if "skipped" in d:
        lines.append(f"Not measured: {d['skipped']}.")
    else:
        lines += ["| workers | captures | time (s) | captures/min | mean capture in the worker "
                  "(s) |", "|---|---|---|---|---|"]
        for count in (1, 2, 3):
            w = d.get(count)
            if w:
                lines.append(f"| {count} | {w['captures']} ({w['complete']} complete) | "
                             f"{w['seconds']:.1f} | {w['captures_per_minute']} | "
                             f"{w['worker_capture_s_mean']} |")
        o = d.get("overhead")
        if o:
            lines += ["", f"Queue overhead per capture against the local batch (one worker, "
                      f"{o['per_capture_s']:.2f} s per capture end to end, less the local "
                      f"batch at concurrency 1, {o['local_per_capture_s']:.2f} s): "
                      f"{o['overhead_vs_local_s']:.2f} s.",
                      "", f"Inside the queue (one worker: time per capture end to "
                      f"end, {o['per_capture_s']:.2f} s, less the capture inside the worker, "
                      f"{o['worker_capture_s']:.2f} s): {o['queue_overhead_per_capture_s']:.2f}"
                      f" s. A local batch at concurrency 1 takes {o['local_per_capture_s']:.2f}"
                      " s per capture (its browser start included; the workers' browsers were "
                      "started before the batch was timed)."]
    lines += ["", "## Step times of one 40-reply capture (s)", "",
              "| step | seconds |", "|---|---|"]
    for step, sec in report["overhead"][40]["capture_steps_s"].items():
        lines.append(f"| {step} | {sec:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Command line: ``--one KIND ARG`` (internal) or the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--one", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    report = run_all(args.repeats, args.quick)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmark.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "benchmark.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
