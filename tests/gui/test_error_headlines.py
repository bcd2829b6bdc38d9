"""Every error code of the engine has its own headline in the app, in English and in bokmål.

The codes come from :func:`somecapture.errors.error_codes`, so a new error class without a
headline (or without its bokmål translation) fails here, not in front of an archivist.
"""

from __future__ import annotations

import pytest

from somecapture.errors import error_codes
from somecapture.gui.dialogs import error_headline
from somecapture.gui.i18n import install_language

CODES = sorted(error_codes())


def test_the_codes_come_from_the_error_tree():
    # a sanity check on the source of the parametrisation, not a list to keep in step
    assert {"dns", "timeout", "internal", "error"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_error_code_has_a_specific_headline_in_english_and_bokmal(code):
    install_language("en")
    generic_en = error_headline(None)
    english = error_headline(code)
    assert english and english != generic_en, f"no headline for {code!r}"

    assert install_language("nb") == "nb"  # the app's own translator, as the app loads it
    generic_nb = error_headline(None)
    bokmal = error_headline(code)
    assert bokmal.strip(), f"empty bokmål headline for {code!r}"
    assert bokmal != generic_nb, f"no bokmål headline for {code!r}"
    assert bokmal != english, f"{code!r}: {english!r} is not translated to bokmål"
