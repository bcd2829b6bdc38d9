"""YouTube adapter: comment ids and the reply tree.

YouTube's comment elements carry no id attribute and a reply is not nested inside the element
of the comment it answers (both sit in one ``ytd-comment-thread-renderer``). Every comment has
a permalink ``/watch?v=<video>&lc=<commentId>``; reply ids are ``<parentId>.<suffix>``. The
selector-based extract uses that permalink as the id; this adapter turns it into the comment
id and sets ``parent_id`` from the id (or, failing that, from the thread the reply sits in).
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import SiteAdapter


@cache
def _script() -> str:
    return read_text("sites", "js", "youtube.js")


def comment_id_from_url(url: str | None) -> str | None:
    """The ``lc`` parameter of a comment permalink, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    for query in (parts.query, parts.fragment):
        values = parse_qs(query).get("lc")
        if values and values[0]:
            return values[0]
    return None


class Adapter(SiteAdapter):
    """YouTube watch pages, Shorts, live and community posts."""

    async def extract(self, page: Page) -> dict[str, Any]:
        """Selector-based extract with ids and parents from the comment permalinks."""
        data = await super().extract(page)
        tree: dict[str, Any] = await page.evaluate(_script())
        apply_comment_tree(data, tree)
        return data


def apply_comment_tree(data: dict[str, Any], tree: dict[str, Any]) -> None:
    """Rewrite reply ids (permalinks) to comment ids and set each reply's ``parent_id``."""
    root = data.get("root") or {}
    root_id = root.get("id")
    for reply in data.get("replies") or []:
        href = reply.get("id")
        info = tree.get(href) if isinstance(href, str) else None
        cid = comment_id_from_url(href)
        if cid is None:
            continue
        reply["url"] = href
        reply["id"] = cid
        if "." in cid:
            reply["parent_id"] = cid.split(".", 1)[0]
        elif info and info.get("reply"):
            reply["parent_id"] = comment_id_from_url(info.get("thread_top")) or root_id
        else:
            reply["parent_id"] = root_id
