"""Print the closing note's table for issue 15: the corpus pages captured through the whole
pipeline (as ``tests/engine/test_corpus_pipeline.py`` does), one markdown row per page:
replies present / extracted, author / time / text filled, replies with all three of them
against the replies shown (the manifest's count less placeholders of unloaded replies), the
nesting right against the file's replies (nested pages), the thread's sources, status and
warnings; the held-back pages in a table of their own.

Run from the repository root: ``.venv/bin/python scripts/corpus_table.py [--json] [WORD…]``
(WORDs: only pages whose file name contains one of them). Reads ``../shared/corpus`` at run
time; every request not to 127.0.0.1 is refused.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.engine.test_corpus_pipeline import (  # noqa: E402 - after the path is set
    PAGES,
    capture_corpus,
    markdown_table,
    table_rows,
)


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    words = [a for a in argv if not a.startswith("--")]
    names = [n for n in PAGES if not words or any(w in n for w in words)]
    with tempfile.TemporaryDirectory(prefix="corpus-table-") as work:
        captures = capture_corpus(names, Path(work))
        if as_json:
            print(json.dumps(table_rows(captures), indent=1, ensure_ascii=False))
        else:
            print(markdown_table(captures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
