"""The PDF renditions of one capture, replayed: how long each takes, and whether two trees make
the same documents.

``record DIR`` captures the benchmark's 40-reply thread once (``bench/site.py`` on 127.0.0.1)
and keeps what the package step handed to ``render_capture_pdf`` (the screenshot, the capture
sheets, the thread text, the masks of the screened variant) in ``DIR``. ``time DIR`` renders
those PDFs again, in the order the package step does (screened, then main), each repeat in a
fresh process, this tree (or ``--after REV``) and ``--before REV`` (temporary git worktrees)
interleaved; medians per PDF of the wall time and of the process's CPU time (which a busy
machine disturbs less). ``compare DIR --before REV`` renders them with both trees and compares
what the documents hold (pages, content streams, embedded font programs and their widths and
ToUnicode maps, image pixels, the text ``pdftotext`` reads), leaving out what differs between
any two runs (creation dates, the file identifier). ``--profile`` (with ``time``) writes one
cProfile table of the replay per tree.

Only ``render_capture_pdf`` is replayed: the screened variant's read-back (``pdftotext``) and
everything else of the package step are measured by ``bench/run.py`` (its package step).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import ROOT, Tree, working_tree, worktree

INPUTS = "inputs.pickle"


# -- record (one capture, in this process) ----------------------------------------------------
def record(folder: Path) -> None:
    """Capture the 40-reply thread once; keep what each ``render_capture_pdf`` call got."""
    import asyncio

    from bench.run import _capture
    from bench.site import BenchSite
    from somecapture.package import builder, screened

    folder.mkdir(parents=True, exist_ok=True)
    calls: list[dict[str, Any]] = []
    original = builder.render_capture_pdf

    def keep(screenshot: Path, sheet: Any, entries: Any, out: Path, **kw: Any) -> None:
        kind = "screened" if "screened" in Path(out).parts else "main"
        shot = folder / "screenshot.png"
        if not shot.exists():
            shutil.copyfile(screenshot, shot)
        calls.append({"kind": kind, "sheet": sheet, "entries": list(entries),
                      "masks": list(kw.get("masks", ())),
                      "fallback_fonts": list(kw.get("fallback_fonts", ()))})
        original(screenshot, sheet, entries, out, **kw)

    builder.render_capture_pdf = keep  # type: ignore[assignment]
    screened.render_capture_pdf = keep  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp, BenchSite() as site:
        data = asyncio.run(_capture(site.url("/thread?n=40"), Path(tmp), time.perf_counter()))
    (folder / INPUTS).write_bytes(pickle.dumps(calls))
    print(f"{data['status']}, {data['replies']} replies; kept {[c['kind'] for c in calls]} "
          f"in {folder}")


# -- one replay (a child process, the tree's somecapture first on sys.path) --------------------
def replay(folder: Path, out: Path, profile: str | None, rounds: int = 1) -> dict[str, Any]:
    """Render the recorded PDFs, in order, into ``out``, ``rounds`` times over (the first round
    as a fresh process, e.g. ``somecapture capture``, pays for; the later ones as a long-lived
    one, the GUI or a batch, does); wall and CPU seconds per PDF and round."""
    t0 = time.perf_counter()
    import somecapture
    from somecapture.package.pdf import render_capture_pdf

    imported = time.perf_counter() - t0
    calls = pickle.loads((folder / INPUTS).read_bytes())
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    done: list[dict[str, Any]] = []
    for _ in range(rounds):
        seconds: dict[str, float] = {}
        cpu: dict[str, float] = {}
        for call in calls:
            t, c = time.perf_counter(), time.process_time()
            render_capture_pdf(folder / "screenshot.png", call["sheet"], call["entries"],
                               out / f"{call['kind']}.pdf", masks=call["masks"],
                               fallback_fonts=call["fallback_fonts"])
            seconds[call["kind"]] = round(time.perf_counter() - t, 4)
            cpu[call["kind"]] = round(time.process_time() - c, 4)
        done.append({"seconds": seconds, "cpu": cpu})
    if prof is not None and profile:
        prof.disable()
        import io
        import pstats

        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        Path(profile).write_text(buf.getvalue())
    return {"rounds": done, "import_s": round(imported, 4),
            "sizes": {c["kind"]: (out / f"{c['kind']}.pdf").stat().st_size for c in calls},
            "code": str(Path(somecapture.__file__).resolve().parent.parent)}


def _child(tree: Tree, folder: Path, out: Path, profile: str | None = None,
           rounds: int = 1) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "bench.pdfbench", "one", str(folder), str(out),
           "--rounds", str(rounds)]
    if profile:
        cmd += ["--profile-to", profile]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=tree.env(),
                          timeout=1200, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"replay in {tree.label} failed:\n{done.stderr[-3000:]}")
    data = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    if Path(data["code"]) != tree.path:
        raise RuntimeError(f"{tree.label} imported somecapture from {data['code']}")
    return data


# -- time ---------------------------------------------------------------------------------------
def _summary(rounds: list[dict[str, Any]]) -> dict[str, float]:
    """Wall and CPU seconds per PDF and for all of them, of one round."""
    out: dict[str, float] = {}
    for key, label in (("seconds", "s"), ("cpu", "cpu_s")):
        for kind, value in rounds[0][key].items():
            out[f"{kind}_{label}"] = value
        out[f"total_{label}"] = round(sum(rounds[0][key].values()), 4)
    return out


def timing(folder: Path, trees: list[Tree], repeats: int, profile: bool,
           rounds: int = 1) -> dict[str, Any]:
    """Each tree ``repeats`` times, interleaved (order rotated), a fresh process each time;
    medians of the first round (a fresh process) and, with ``rounds`` > 1, of each process's
    fastest later round (a warm one)."""
    runs: dict[str, list[dict[str, Any]]] = {t.label: [] for t in trees}
    load = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="pdfbench-") as tmp:
        for tree in trees:  # one untimed run each: files into the page cache, bytecode
            _child(tree, folder, Path(tmp) / "warm")
        for i in range(repeats):
            order = trees[i % len(trees):] + trees[:i % len(trees)]
            for tree in order:
                runs[tree.label].append(_child(tree, folder, Path(tmp) / f"{tree.label}{i}",
                                               rounds=rounds))
        if profile:
            for tree in trees:
                target = folder / f"profile-{tree.label}.txt"
                _child(tree, folder, Path(tmp) / "prof", str(target))
                print(f"profile of {tree.label}: {target}")
    report: dict[str, Any] = {"repeats": repeats, "rounds": rounds, "load_before": load,
                              "load_after": [round(x, 2) for x in os.getloadavg()]}
    for label, rs in runs.items():
        first = [_summary(r["rounds"][:1]) for r in rs]
        side: dict[str, Any] = {
            "rev": next(t.rev for t in trees if t.label == label),
            "first_round_median": {k: round(statistics.median(f[k] for f in first), 3)
                                   for k in first[0]},
            "first_round_total_s": [f["total_s"] for f in first],
            "sizes": rs[0]["sizes"]}
        if rounds > 1:
            warm = [min((_summary([x]) for x in r["rounds"][1:]), key=lambda x: x["total_s"])
                    for r in rs]
            side["warm_best_median"] = {k: round(statistics.median(w[k] for w in warm), 3)
                                        for k in warm[0]}
        report[label] = side
    return report


# -- compare ------------------------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def content(path: Path) -> dict[str, Any]:
    """What a rendition holds, as digests: per page its content stream and resources (fonts:
    the embedded program, widths, ToUnicode, CIDToGIDMap; images: pixels and dictionary),
    the document's metadata without dates and the text pdftotext reads."""
    import pikepdf

    def font(f: Any) -> dict[str, Any]:
        cid = f.DescendantFonts[0]
        desc = cid.FontDescriptor
        return {"base": str(f.BaseFont), "program": _digest(desc.FontFile2.read_bytes()),
                "widths": _digest(repr(cid.get("/W")).encode()),
                "tounicode": _digest(f.ToUnicode.read_bytes()),
                "cidtogid": _digest(cid.CIDToGIDMap.read_bytes())
                if isinstance(cid.get("/CIDToGIDMap"), pikepdf.Stream) else None,
                "descriptor": sorted((str(k), repr(v)) for k, v in desc.items()
                                     if k not in ("/FontFile2", "/CIDSet"))}

    def image(x: Any) -> dict[str, Any]:
        pixels = pikepdf.PdfImage(x).read_bytes()
        return {"pixels": _digest(pixels),
                "dict": sorted((str(k), repr(v)) for k, v in x.items()
                               if k not in ("/Length", "/Filter", "/DecodeParms"))}

    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            res = page.Resources
            pages.append({
                "content": _digest(page.Contents.read_bytes()
                                   if isinstance(page.Contents, pikepdf.Stream)
                                   else b"".join(c.read_bytes() for c in page.Contents)),
                "box": repr(page.MediaBox),
                "fonts": {str(k): font(v) for k, v in res.get("/Font", {}).items()},
                "images": {str(k): image(v) for k, v in res.get("/XObject", {}).items()}})
        info = {str(k): str(v) for k, v in pdf.docinfo.items() if "Date" not in str(k)}
        with pdf.open_metadata() as meta:
            xmp = {str(k): str(meta.get(k)) for k in meta if "Date" not in str(k)
                   and "DocumentID" not in str(k) and "InstanceID" not in str(k)}
        intents = repr([(str(o.S), _digest(o.DestOutputProfile.read_bytes()))
                        for o in pdf.Root.OutputIntents])
        lang = str(pdf.Root.get("/Lang"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout if shutil.which("pdftotext") else b""
    return {"pages": pages, "info": info, "xmp": xmp, "intents": intents, "lang": lang,
            "text": _digest(text)}


def compare(folder: Path, trees: list[Tree]) -> bool:
    """Render with each tree, in a fresh process and (the files of the second round) in a
    warm one; True when all the documents hold the same."""
    with tempfile.TemporaryDirectory(prefix="pdfbench-") as tmp:
        made = {}
        for t in trees:
            for rounds in (1, 2):
                label = t.label + ("" if rounds == 1 else " (warm)")
                out = Path(tmp) / f"{t.label}-{rounds}"
                made[label] = (out, _child(t, folder, out, rounds=rounds))
        same = True
        kinds = list(next(iter(made.values()))[1]["sizes"])
        for kind in kinds:
            seen = {label: content(out / f"{kind}.pdf") for label, (out, _) in made.items()}
            first, *rest = seen.items()
            for label, c in rest:
                if c != first[1]:
                    same = False
                    for key in c:
                        if c[key] != first[1][key]:
                            print(f"{kind}: {key} differs between {first[0]} and {label}")
                else:
                    print(f"{kind}: {first[0]} and {label} hold the same "
                          f"({len(c['pages'])} pages; sizes "
                          + ", ".join(f"{lb} {r['sizes'][kind]:,} B"
                                      for lb, (_, r) in made.items()) + ")")
        return same


def main() -> None:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("record", "time", "compare", "one"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path, nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--before", metavar="REV")
    parser.add_argument("--after", metavar="REV",
                        help="a temporary worktree of REV instead of this working tree")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1,
                        help="renders of the recorded PDFs per process (time)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.action == "record":
        record(args.folder)
        return
    if args.action == "one":
        print(json.dumps(replay(args.folder.resolve(), args.out, args.profile_to,
                                args.rounds)))
        return
    with contextlib.ExitStack() as stack:
        trees = [stack.enter_context(worktree(args.after, "after")) if args.after
                 else working_tree()]
        if args.before:
            trees.insert(0, stack.enter_context(worktree(args.before, "before")))
        if args.action == "time":
            print(json.dumps(timing(args.folder.resolve(), trees, args.repeats, args.profile,
                                    args.rounds), indent=1))
        else:
            sys.exit(0 if compare(args.folder.resolve(), trees) else 1)


if __name__ == "__main__":
    main()
