"""English words in a text meant to be Norwegian: the scan the app's views (tests/gui) and the
engine's messages rendered in bokmål and nynorsk (tests/unit/test_messages.py) share.

A word counts when it is an English word that is not a Norwegian word too (a small list);
names that are the same in every language, addresses, paths, handles, numbers and quoted
text («…», “…”, "…", '…': a page's words, a field's name, another tool's own words) do not.
"""

from __future__ import annotations

import html
import re

# English words that are not Norwegian words too ("to", "for", "is", "time", "last", "not"
# are, so they are not here)
ENGLISH = set("""
the of this that with from your you was were has been which when what who will would could
should there their into only also than then these those any each every some yes please
capture captured captures capturing package packages folders save saved file
files settings setting browser address addresses error errors warning warnings reply replies
step steps done failed cancel cancelled close copy details verify verified verifying select
choose page pages check checked checking login profile profiles version versions none
automatic export show loading size search refresh title case archivist screened screening
private persons network seconds language watch watched watching thread threads account
accounts schedule remove new edited missing comments complete partial waiting ready stopped
running batch line lines duplicate resume report output quit keep working about bundled
component licence unknown found cannot nothing something here click paste appears wait fill
next kind name created used never again browse detected use instead empty accept allow
intranet off default whole agency defaults own digits user whoever privacy citizens texts
undo changes looking installed computer chosen below trusted roots authorities view views
history zoom out fit width real shown share least give write where why while already anyway
record records digest digests unreadable contains expected does match embedded stream
redirected signed wall author authors words credit added behind visible users controls
published publish claim delivery stalled secret session image unsupported unable connection
refused reach
""".split())  # not "open", "folder", "zoom": Norwegian words too ("appen er open")

# names that are the same in every language
NAMES = {"warc", "wacz", "pdf", "bagit", "noark", "url", "replayweb", "pywb", "chrome", "edge",
         "chromium", "rfc", "tls", "csv", "eformidling", "fiks", "somecapture", "facebook",
         "ctrl", "enter", "esc", "python", "linux", "pem", "http", "https", "tsa", "xml"}


def plain(text: str) -> str:
    """A widget text as read: rich text to plain, mnemonics and spacing removed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


def english_in(text: str) -> list[str]:
    """The English words of ``text`` (quoted names, addresses, paths and names excepted)."""
    text = re.sub(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|'[^']*'", " ", plain(text))
    found = []
    for token in text.split():
        if re.search(r"[/@\\:_=0-9]|\.\w", token):
            continue  # an address, a path, a handle, a file name, a number
        if re.match(r"\(?--[a-z]", token):
            continue  # a command-line option (--out): typed as it is in every language
        if re.fullmatch(r"\(?\[[a-z_]+\][.,;:)]*", token):
            continue  # a section of the config file ([defaults]): its name in every language
        word = token.strip(".,;:!?()[]{}…–—-·✔✖⚠▸•*%").lower()
        if word in ENGLISH and word not in NAMES:
            found.append(word)
    return found
