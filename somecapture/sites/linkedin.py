"""LinkedIn: what data alone cannot express.

* On the guest page a comment's URN is only on its report link
  (``data-semaphore-content-urn``); it is copied onto the comment before the shared extractor
  runs. Member pages carry it on the comment itself (``data-id``).
* Handles are the ``/in/<vanity>`` or ``/company/<name>`` part of the profile links.
* A redirect to ``/authwall``, ``/uas/login``, ``/login`` or ``/signup`` is a login wall; so is
  the guest page's "See more comments" (it leads to sign-up), given as selectors in the data.
* Counters such as "13 comments" match the shared "N comments" click label but are not
  "more" controls: they are dropped from the unexpanded list by the data's skip_labels.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import SiteAdapter


@cache
def script() -> str:
    return read_text("sites", "js", "linkedin.js")


class Adapter(SiteAdapter):
    """LinkedIn posts, as a guest or with a member login profile."""

    async def extract(self, page: Page) -> dict[str, Any]:
        """Copy guest comment URNs onto the comments, then the shared extractor."""
        info = await page.evaluate(script(), {"op": "annotate", "cfg": self._cfg()}) or {}
        data = await super().extract(page)
        self.fill_handles(data, info)
        return data
