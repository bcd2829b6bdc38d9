"""Update and compile the app's translations (run from anywhere, with the venv's Python).

1. ``pyside6-lupdate`` collects every ``tr()`` / ``QCoreApplication.translate`` string of
   ``somecapture/gui`` into ``somecapture_nb.ts`` (bokmål) and ``somecapture_nn.ts``
   (nynorsk): existing translations are kept; strings no longer in the code are dropped; new
   ones are marked unfinished.
2. Translate the unfinished ones in both files (Qt Linguist: ``pyside6-linguist
   somecapture_nn.ts``, or any editor: fill in ``<translation>`` and remove
   ``type="unfinished"``).
3. Run this again: ``pyside6-lrelease`` compiles every ``.ts`` file to the ``.qm`` files the
   app loads. ``tests/gui/test_translations.py`` fails while a string is untranslated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def tool(name: str) -> str:
    """A PySide6 tool next to this Python, else on PATH."""
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install 'somecapture[gui]').")
    return found


#: the app's translations: (language, its locale name in the .ts file)
LANGUAGES = (("nb", "nb_NO"), ("nn", "nn_NO"))


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "somecapture" / "gui").rglob("*.py"))
    for language, locale in LANGUAGES:
        subprocess.run([tool("pyside6-lupdate"), *sources, "-ts",
                        str(HERE / f"somecapture_{language}.ts"), "-target-language", locale,
                        "-no-obsolete", "-locations", "none"], check=True)
    # the app's strings and our own translations of Qt's (somecapture_qt_*.ts, kept by hand)
    for ts in sorted(HERE.glob("somecapture*_n[bn].ts")):
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
