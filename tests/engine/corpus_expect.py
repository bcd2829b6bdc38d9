"""What the saved pages of ``../shared/corpus`` show, read from the files themselves at run time
(lxml) or from the corpus's ``manifest.json``: the expected values of the corpus tests
(``test_reader_corpus.py``, ``test_corpus_pipeline.py``, ``test_thread_sources.py``).

The corpus is third-party data for internal tests only: nothing of it (no name, no text, no
id) is written in the tests; they name a file and say where in it (an XPath, the manifest's
examples) the expected value is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

MANIFEST: dict[str, dict[str, Any]] = (
    {row["file"]: row for row in json.loads((CORPUS / "manifest.json").read_text("utf-8"))}
    if (CORPUS / "manifest.json").is_file() else {})


def charset(data: bytes) -> str:
    """The charset the page declares in its first bytes (``utf-8`` when it declares none)."""
    match = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:8192], re.IGNORECASE)
    return match.group(1).decode("ascii") if match else "utf-8"


def unparked(data: bytes) -> bytes:
    """Markup a page parks in ``<code><!-- … --></code>`` until its script moves it into
    place, moved into place."""
    return re.sub(rb"<code([^>]*)>\s*<!--(.*?)-->\s*</code>", rb"\2", data, flags=re.S)


def file_tree(name: str) -> Any:
    """The saved page as lxml reads it, in its declared charset, parked markup in place."""
    data = unparked((CORPUS / name).read_bytes())
    return lxml_html.fromstring(data.decode(charset(data), "replace"))


def xpath_string(tree: Any, xpath: str) -> str | None:
    """The first non-empty string the XPath finds, whitespace collapsed (None: none)."""
    found = tree.xpath(xpath)
    for value in found if isinstance(found, list) else [found]:
        text = " ".join(str(value if isinstance(value, str) else value.text_content()).split())
        if text:
            return text
    return None


def file_text(name: str, xpath: str) -> str:
    """The first non-empty string the XPath finds in the saved file; it must find one."""
    found = xpath_string(file_tree(name), xpath)
    assert found, (name, xpath)
    return found


def shown(name: str, spec: str, field: str) -> str:
    """A value the page shows: ``spec`` is an XPath into the file, or ``"manifest"``: the
    manifest's first example's ``field`` (where the manifest says that example is the opening
    post)."""
    if spec == "manifest":
        return str(MANIFEST[name]["examples"][0][field]).strip()
    return file_text(name, spec)


def manifest_request_url(name: str) -> str:
    """The address the manifest says the file's response answered."""
    match = re.search(r"request (?:[A-Z]+ )?(https?://\S+)", MANIFEST[name]["extraction"])
    assert match, MANIFEST[name]["extraction"]
    return match.group(1)


def tweetdetail_focal(name: str) -> tuple[str, str]:
    """(focal tweet id, its author's screen name), read from the TweetDetail response: the
    tweet whose text the manifest gives as its first example (the focal tweet)."""
    opening = " ".join(MANIFEST[name]["examples"][0]["text_starts_with"].split())
    found: list[tuple[str, str]] = []

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            text = (v.get("legacy") or {}).get("full_text") if "rest_id" in v else None
            if isinstance(text, str) and " ".join(text.split()).startswith(opening):
                user = v["core"]["user_results"]["result"]
                screen = ((user.get("core") or {}).get("screen_name")
                          or (user.get("legacy") or {}).get("screen_name"))
                found.append((str(v["rest_id"]), str(screen)))
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(json.loads((CORPUS / name).read_text("utf-8")))
    assert found, opening
    return found[0]


def own_path(name: str) -> str:
    """The path (and query) of the page's own address (og:url, else canonical), else its
    file name."""
    tree = file_tree(name)
    for xpath in ("//meta[@property='og:url']/@content", "//link[@rel='canonical']/@href"):
        found = [str(v).strip() for v in tree.xpath(xpath) if str(v).strip()]
        if found:
            parts = urlsplit(found[0])
            if parts.path not in ("", "/", "/home"):
                return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/" + name


# --- nesting ---------------------------------------------------------------------------------

# Threads whose nesting the manifest describes, with the blocks it names (tag, class) and the
# attribute and pattern that identify a block. The nesting is read from the file with lxml,
# independently of any extractor; a post is matched to a block by that identifier in its id or
# permalink.
NESTED: dict[str, tuple[str, str, str, str]] = {
    "reddit/reddit__blog-skipper__old-reddit-r-aww-8dyrb3.html":
        ("div", "comment", "data-fullname", r"t1_\w+"),
    "disqus/disqus__blog-skipper__embed-comments-androidmr-54479.html":
        ("li", "post", "id", r"\d{6,}"),
    "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html":
        ("li", "comment", "id", r"\d{5,}"),
    "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html":
        ("div", "comments-node", "id", r"[A-Za-z0-9]{17}"),
}


def nesting_in_file(name: str) -> dict[str, str | None]:
    """Block identifier -> identifier of the block it sits in (``None`` at the top level)."""
    tag, cls, attr, pattern = NESTED[name]
    tree = file_tree(name)
    path = f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
    blocks = tree.xpath(path)
    block_set = set(blocks)
    key = {b: re.findall(pattern, b.get(attr) or "")[-1] for b in blocks}
    parents: dict[str, str | None] = {}
    for b in blocks:
        up = b.getparent()
        while up is not None and up not in block_set:
            up = up.getparent()
        parents[key[b]] = key[up] if up is not None else None
    return parents


def block_key(name: str, *texts: str | None) -> str | None:
    """The block identifier (``NESTED``'s pattern) in a post's id or permalink, else None."""
    found = re.findall(NESTED[name][3], " ".join(t or "" for t in texts))
    return found[-1] if found else None


def nested_blocks(name: str) -> dict[str, str]:
    """Block identifier -> the block's own words (nested blocks left out), whitespace
    collapsed: for matching a post to its block by text where its id names none."""
    tag, cls, attr, pattern = NESTED[name]
    tree = file_tree(name)
    blocks = tree.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
    block_set = set(blocks)

    def own(el: Any) -> list[str]:
        words = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and child.tag not in ("script", "style") \
                    and child not in block_set:
                words += own(child)
            words.append(child.tail or "")
        return words

    return {re.findall(pattern, b.get(attr) or "")[-1]: " ".join("".join(own(b)).split())
            for b in blocks}
