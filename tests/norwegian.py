"""Bokmål words in a text meant to be nynorsk: the one list the message catalogue
(tests/unit/test_messages.py), the app's translations (tests/gui/test_translations.py) and the
app's views in nynorsk (tests/gui/test_no_english.py) share.

A word counts when bokmål writes it and nynorsk has another word or form for it ("ikke" →
"ikkje", "bruker" → "brukar", "lastet" → "lasta"). Words both write are not here, however
bokmål they may look: "også" (nynorsk has "òg" and "også"), "feilen" (feil is masculine in
nynorsk too), "eller", "etter", "kan", "ved", "mange", "ingen". Quoted text («…», “…”,
"…", '…': a page's words, a name) is not read.
"""

from __future__ import annotations

import re

from tests.english import plain

#: bokmål words with another nynorsk word or form (whole words, case-insensitive)
BOKMAL_ONLY = frozenset("""
ikke hva hvis hvem hvor hvordan hvilken hvilke hver hvert fra jeg dere deres bare noen noe
ble mye mer kun hjem være mens ennå disse ett uten siden mappen nettleser nettleseren
innstillinger advarsel advarsler skjermet mislykket lagret lastet hentet henter bruker brukes
virksomhet virksomhetens tjeneren
""".split()) | {"eller så", "enn så"}


def bokmal_in(text: str) -> list[str]:
    """The bokmål-only words of ``text`` (quoted text and parameters' braces excepted)."""
    text = re.sub(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|'[^']*'", " ", plain(text))
    text = re.sub(r"\{[a-z_]+\}", " ", text)
    return [word for word in sorted(BOKMAL_ONLY)
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)]
