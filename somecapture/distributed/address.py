"""The ``--queue`` address: ``redis://[:PASSWORD@]HOST[:PORT][/DB]`` (or ``rediss://`` for
TLS), checked before anything starts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from somecapture.errors import QueueAddressError
from somecapture.options import redact_url_credentials

SCHEMES = ("redis", "rediss")
DEFAULT_PORT = 6379
#: Redis's default number of databases is 16; a server may be set up with more
MAX_DB = 1024
EXAMPLE = "redis://HOST:6379/0"


@dataclass(frozen=True)
class QueueAddress:
    """A checked task-queue address."""

    #: the address as given (it may carry a password: never shown or stored as it is)
    url: str
    host: str
    port: int
    db: int

    @property
    def shown(self) -> str:
        """The address as it may be shown or logged (no password)."""
        return redact_url_credentials(self.url)


def parse_queue_url(url: str) -> QueueAddress:
    """Check ``url`` (the ``--queue`` option); :class:`QueueAddressError` says what is wrong
    and what to give instead."""
    text = (url or "").strip()
    shown = redact_url_credentials(text) if text else "(empty)"
    where = f"--queue {shown}"
    if "://" not in text:
        raise QueueAddressError(f"{where}: not a queue address. Give the Redis server as "
                                f"--queue {EXAMPLE} (host, port, database number).")
    try:
        parts = urlsplit(text)
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
                        db=int(path) if path else 0)
