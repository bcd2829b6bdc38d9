"""Re-checking a published package: is it still exactly what was captured?"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from somecapture.package import bag
from somecapture.package.documents import check_documents
from somecapture.package.layout import METADATA_NAME, WARC_NAME
from somecapture.warc.verify import check_warc


@dataclass
class PackageCheck:
    """Outcome of :func:`verify_package`; ``problems`` names each failing file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is changed, missing or extra."""
        return not self.problems


def _inside_data(rel: str) -> bool:
    """A metadata file path that stays inside data/ (no absolute paths, no ..)."""
    return bool(rel) and not rel.startswith(("/", "\\")) and ".." not in rel.split("/")


def verify_package(path: Path) -> PackageCheck:
    """Bag manifests and tag manifests, WARC digests, and the metadata's own file list."""
    result = PackageCheck(path=path)
    if not path.is_dir():
        result.problems.append(f"{path}: not a folder (give the package folder)")
        return result
    if not (path / "bagit.txt").is_file():
        result.problems.append(f"{path}: bagit.txt missing: not a somecapture package")
        return result
    if not (path / "tagmanifest-sha256.txt").is_file():
        # without it, bag-info.txt and the manifest itself could be changed unnoticed
        result.problems.append("tagmanifest-sha256.txt: missing")
    result.problems += bag.validate_bag(path)
    result.checked.append("bag manifests (bagit-python)")
    data = path / "data"
    warc = data / WARC_NAME
    if warc.is_file():
        check = check_warc(warc)
        result.problems += [f"data/{p}" for p in check.problems]
        result.checked.append(f"WARC digests ({check.records} records)")
    else:
        result.problems.append(f"data/{WARC_NAME}: missing")
    meta_path = data / METADATA_NAME
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        result.problems.append(f"data/{METADATA_NAME}: missing")
        return result
    except (OSError, ValueError) as exc:
        result.problems.append(f"data/{METADATA_NAME}: unreadable ({exc})")
        return result
    capture_id = meta.get("capture_id")
    try:
        info = (path / "bag-info.txt").read_text(encoding="utf-8")
    except OSError:
        info = ""
    if capture_id and f"External-Identifier: urn:uuid:{capture_id}" not in info:
        result.problems.append("bag-info.txt: External-Identifier does not match the capture id "
                               f"in {METADATA_NAME}")
    listed = {f["path"]: f for f in meta.get("files", []) if isinstance(f, dict)
              and _inside_data(str(f.get("path", "")))}
    for name, entry in listed.items():
        file = data / name
        if not file.is_file():
            result.problems.append(f"data/{name}: missing (listed in {METADATA_NAME})")
        elif bag.sha256_file(file) != entry.get("sha256"):
            result.problems.append(f"data/{name}: does not match the checksum in {METADATA_NAME}")
    result.checked.append(f"{METADATA_NAME} file list ({len(listed)} files)")
    result.problems += check_documents(data)
    result.checked.append("metadata schema, arkivmelding XSD, PDF/A structure")
    return result
