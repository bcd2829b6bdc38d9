"""The ``--queue`` address: ``redis://[:PASSWORD@]HOST[:PORT][/DB]`` (or ``rediss://`` for
TLS), checked before anything starts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from somecapture.errors import QueueAddressError
from somecapture.options import redact_url_credentials

SCHEMES = ("redis", "rediss")
DEFAULT_PORT = 6379
#: Redis's default number of databases is 16; a server may be set up with more
MAX_DB = 1024
EXAMPLE = "redis://HOST:6379/0"
#: the environment variable that may hold the Redis password (instead of the address)
PASSWORD_ENV = "SOMECAPTURE_QUEUE_PASSWORD"


@dataclass(frozen=True)
class QueueAddress:
    """A checked task-queue address."""

    #: the address as given (it may carry a password: never shown or stored as it is)
    url: str = field(repr=False)
    host: str
    port: int
    db: int
    #: the password from :data:`PASSWORD_ENV` when the address has none (an address given
    #: on the command line is visible to every user of the computer, in ps)
    password: str | None = field(default=None, repr=False)

    @property
    def shown(self) -> str:
        """The address as it may be shown or logged (no password)."""
        return redact_url_credentials(self.url)


def parse_queue_url(url: str) -> QueueAddress:
    """Check ``url`` (the ``--queue`` option); :class:`QueueAddressError` says what is wrong
    and what to give instead."""
    text = (url or "").strip()
    try:
        shown = redact_url_credentials(text) if text else "(empty)"
    except ValueError:
        shown = "(not readable as an address)"  # nothing of it shown: it may hold a password
    where = f"--queue {shown}"
    if "://" not in text:
        raise QueueAddressError(f"{where}: not a queue address. Give the Redis server as "
                                f"--queue {EXAMPLE} (host, port, database number).")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise QueueAddressError(f"{where}: not a readable address (a '[' without its ']'?). "
                                f"Give the Redis server as --queue {EXAMPLE}.") from None
    try:
        port = parts.port
    except ValueError:
        raise QueueAddressError(f"{where}: the port is not a number from 1 to 65535. "
                                f"Give it as --queue {EXAMPLE}.") from None
    if parts.scheme.lower() not in SCHEMES:
        raise QueueAddressError(
            f"{where}: the scheme {parts.scheme or '(none)'}:// is not supported; the task "
            f"queue is a Redis server: --queue {EXAMPLE} (rediss:// for TLS).")
    if not parts.hostname:
        raise QueueAddressError(f"{where}: no host. Give the Redis server's name or address: "
                                f"--queue {EXAMPLE}.")
    if port == 0:
        raise QueueAddressError(f"{where}: port 0 is not a port. Give it as --queue {EXAMPLE}.")
    path = parts.path.strip("/")
    if path and not (path.isdigit() and int(path) <= MAX_DB):
        raise QueueAddressError(
            f"{where}: the database must be a number (0 to {MAX_DB}), not {path!r}: "
            f"--queue {EXAMPLE}.")
    if parts.query or parts.fragment:
        raise QueueAddressError(f"{where}: options after '?' or '#' are not supported. Give "
                                f"only host, port and database: --queue {EXAMPLE}.")
    return QueueAddress(url=text, host=parts.hostname, port=port or DEFAULT_PORT,
                        db=int(path) if path else 0,
                        password=None if parts.password else os.environ.get(PASSWORD_ENV) or None)
