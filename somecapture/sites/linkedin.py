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

import re
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

    async def login_wall(self, page: Page) -> str | None:
        """A redirect to a sign-in page, or the guest page's sign-up-only comment links."""
        pattern = self.data.get("login_wall_url")
        if pattern and re.search(pattern, page.url, re.IGNORECASE):
            return f"login wall (redirected to {page.url})"
        return await super().login_wall(page)

    async def extract(self, page: Page) -> dict[str, Any]:
        """Copy guest comment URNs onto the comments, then the shared extractor."""
        info = await page.evaluate(script(), {"op": "annotate", "cfg": self._cfg()}) or {}
        data = await super().extract(page)
        root = data.get("root")
        if isinstance(root, dict) and not root.get("handle"):
            root["handle"] = info.get("root_handle")
        handles: dict[str, Any] = info.get("handles") or {}
        for reply in data.get("replies") or []:
            if not reply.get("handle"):
                reply["handle"] = handles.get(str(reply.get("id")))
        skips = [re.compile(p, re.IGNORECASE) for p in self.data.get("skip_labels", [])]
        data["unexpanded"] = [
            u for u in data.get("unexpanded") or []
            if not any(s.search(str(u.get("where") or "")) for s in skips)
        ]
        return data
