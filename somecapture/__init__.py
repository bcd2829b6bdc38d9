"""somecapture: archive social-media posts in their context.

The public API is small on purpose: :func:`capture_url` captures one URL into a verified
package, :class:`CaptureOptions` holds every option, :class:`CaptureResult` is what comes back.
GUI and CLI are thin shells over these.
"""

from __future__ import annotations

from somecapture._version import __version__
from somecapture.errors import SomecaptureError
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions

__all__ = [
    "CaptureOptions",
    "CaptureResult",
    "CaptureStatus",
    "SomecaptureError",
    "__version__",
    "capture_url",
]


async def capture_url(url: str, options: CaptureOptions | None = None) -> CaptureResult:
    """Capture ``url`` into a verified package under ``options.out_dir``.

    Imported lazily so that ``import somecapture`` stays cheap (no Playwright import).
    """
    from somecapture.pipeline import capture_url as _capture_url

    return await _capture_url(url, options or CaptureOptions())
