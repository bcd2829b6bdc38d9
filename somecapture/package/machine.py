"""Which computer this is, for folders shared by many computers (a distributed batch's
output folder): not the host name, which two computers may share (cloned images, containers)
and one computer may change.

The operating system's machine id (``/etc/machine-id``, systemd's, random per installation)
where there is one, else a random id kept in this user's data folder.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import uuid
from pathlib import Path

import platformdirs

_MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")


@functools.cache
def machine_id() -> str:
    """This computer's id (letters, digits and '-' only: usable in a file name)."""
    for candidate in _MACHINE_ID_FILES:
        with contextlib.suppress(OSError):
            text = candidate.read_text("ascii", errors="replace").strip()
            if _ID.match(text):
                return text
    return _own_id(Path(platformdirs.user_data_dir("somecapture", appauthor=False))
                   / "machine-id")


def _own_id(path: Path) -> str:
    """The id kept at ``path``, made once (a random uuid)."""
    with contextlib.suppress(OSError):
        text = path.read_text("ascii", errors="replace").strip()
        if _ID.match(text):
            return text
    made = uuid.uuid4().hex
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(made + "\n", "ascii")
        os.replace(tmp, path)
        # two processes racing: both use what the file ends up holding
        text = path.read_text("ascii").strip()
        if _ID.match(text):
            return text
    return made


#: this process, uniquely among all processes on all computers ever (for claims)
PROCESS_ID = uuid.uuid4().hex
