"""The ``--queue`` address: ``redis://[:PASSWORD@]HOST[:PORT][/DB]`` (or ``rediss://`` for
TLS), checked before anything starts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from somecapture.errors import QueueAddressError
from somecapture.messages import Msg
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
    shown: str
    try:
        shown = redact_url_credentials(text) if text else Msg("queue.shown_empty")
    except ValueError:
        # nothing of it shown: it may hold a password
        shown = Msg("queue.shown_unreadable")

    def bad(code: str, **params: object) -> QueueAddressError:
        # (each code written out whole: the catalogue's test finds it in the source)
        return QueueAddressError(Msg(code, shown=shown, example=EXAMPLE, **params))

    if "://" not in text:
        raise bad("queue.not_address")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise bad("queue.unreadable") from None
    try:
        port = parts.port
    except ValueError:
        raise bad("queue.bad_port") from None
    if parts.scheme.lower() not in SCHEMES:
        raise bad("queue.bad_scheme", scheme=parts.scheme or "")
    if not parts.hostname:
        raise bad("queue.no_host")
    if port == 0:
        raise bad("queue.port_zero")
    path = parts.path.strip("/")
    if path and not (path.isdigit() and int(path) <= MAX_DB):
        raise bad("queue.bad_db", most=str(MAX_DB), path=path)
    if parts.query or parts.fragment:
        raise bad("queue.options")
    return QueueAddress(url=text, host=parts.hostname, port=port or DEFAULT_PORT,
                        db=int(path) if path else 0,
                        password=None if parts.password else os.environ.get(PASSWORD_ENV) or None)
