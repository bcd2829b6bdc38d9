"""Locating ``resources/`` in a source checkout, an installed wheel or a PyInstaller bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The directory holding schemas, site data, translations and icons.

    Order: PyInstaller's unpack dir (``sys._MEIPASS/resources``), the package's own
    ``somecapture/_resources`` (wheel installs), the checkout's ``resources/``.
    """
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    here = Path(__file__).resolve().parent
    candidates += [here / "_resources", here.parent / "resources"]
    for candidate in candidates:
        if (candidate / "schemas").is_dir():
            return candidate
    raise FileNotFoundError(
        "somecapture's resources folder was not found (looked in: "
        + ", ".join(str(c) for c in candidates)
        + "). The installation is incomplete: reinstall somecapture."
    )


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    return resources_dir().joinpath(*parts)


def read_text(*parts: str) -> str:
    """Text (UTF-8) of a file under ``resources/``."""
    return resource_path(*parts).read_text(encoding="utf-8")


def site_names() -> list[str]:
    """Names of all site data files (``resources/sites/*.json``), generic last."""
    names = sorted(p.stem for p in resource_path("sites").glob("*.json"))
    return [n for n in names if n != "generic"] + ["generic"]
