"""Every error code of the engine has its own headline in the app, in English, bokmål and
nynorsk.

The codes come from :func:`somecapture.errors.error_codes`, so a new error class without a
headline (or without its translations) fails here, not in front of an archivist.
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
def test_every_error_code_has_a_specific_headline_in_every_language(code):
    install_language("en")
    generic_en = error_headline(None)
    english = error_headline(code)
    assert english and english != generic_en, f"no headline for {code!r}"

    for language in ("nb", "nn"):
        # the app's own translator, as the app loads it
        assert install_language(language) == language
        generic = error_headline(None)
        headline = error_headline(code)
        assert headline.strip(), f"empty {language} headline for {code!r}"
        assert headline != generic, f"no {language} headline for {code!r}"
        assert headline != english, f"{code!r}: {english!r} is not translated to {language}"
    install_language("en")
