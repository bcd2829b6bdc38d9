"""Progress events: immutable values handed to a plain listener callable.

The engine never knows who listens: the CLI prints, the GUI bridge turns each event into a Qt
signal. A listener must be quick and must not raise; exceptions from it are logged and ignored.

**Page text in events is raw.** Step messages, notes, errors and URLs quote the page (button
labels, titles, server error texts) exactly as the engine met them, escape sequences and bidi
overrides included. The events are not cleaned here because they are not the only way page
text reaches people (results and catalogue entries do too) and because the shells use some
fields as keys (the app finds a batch row by ``url``). Whoever *shows* an event's text cleans
it: the command line's console and the app's widgets do, with
:func:`somecapture.textsafe.clean_text`; a new listener that prints or displays must do the
same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaptureStarted:
    """A capture of ``url`` began."""

    capture_id: str
    url: str


@dataclass(frozen=True)
class StepStarted:
    """A named step began."""

    capture_id: str
    step: str


@dataclass(frozen=True)
class StepFinished:
    """A named step ended with ``status`` (see :class:`~somecapture.models.StepStatus`)."""

    capture_id: str
    step: str
    status: str
    message: str
    duration_s: float


@dataclass(frozen=True)
class CaptureMessage:
    """A human-readable note during a capture (e.g. "clicked 'Vis flere svar' 3 times")."""

    capture_id: str
    text: str


@dataclass(frozen=True)
class CaptureFinished:
    """A capture ended; ``package`` is set when one was published."""

    capture_id: str
    url: str
    status: str
    package: str | None
    error: str | None


@dataclass(frozen=True)
class BatchProgress:
    """Batch counts after an item started or ended; ``eta_s`` is None until one ended."""

    batch_id: str
    total: int
    done: int
    counts: dict[str, int]
    eta_s: float | None
    text: str = ""
    #: a line to show on its own, not only in the bar: a retry, a distributed batch waiting
    #: for its task queue to come back
    notice: bool = False


@dataclass(frozen=True)
class BatchStarted:
    """A batch was created (or found, to resume) and is about to run.

    Sent before the batch's own progress events, so a shell can show which rows a resumed
    batch has already done before the first capture starts.
    """

    batch_id: str
    #: the output folder the batch's packages and report go to
    out_dir: Path
    #: ``(line, url, status or None if not done yet)`` for every row of the batch
    rows: tuple[tuple[int, str, str | None], ...]


Event = (CaptureStarted | StepStarted | StepFinished | CaptureMessage | CaptureFinished
         | BatchProgress | BatchStarted)


class ProgressListener(Protocol):
    """Anything callable with one event."""

    def __call__(self, event: Event) -> None: ...


def safe_emit(listener: Callable[[Event], None] | None, event: Event) -> None:
    """Deliver ``event``; a failing listener must never break a capture."""
    if listener is None:
        return
    try:
        listener(event)
    except Exception:  # noqa: BLE001 - a listener bug is logged, not fatal
        log.exception("progress listener failed on %r", event)
