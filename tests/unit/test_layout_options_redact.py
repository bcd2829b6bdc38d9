"""Package names, options validation, header redaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from somecapture.errors import OptionsError
from somecapture.options import CaptureOptions, redact_url_credentials
from somecapture.package.layout import package_name, slugify
from somecapture.redact import MARKER, HeaderRedactor

WHEN = datetime(2026, 11, 25, 13, 5, 9, tzinfo=UTC)


def test_package_name_shape() -> None:
    name = package_name("https://www.facebook.com/oslokommune/posts/123?x=1", WHEN)
    assert name == "20261125T130509Z-facebook-com-oslokommune-posts-123-x-1"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Tøyen Bibliotek — åpning!", "toyen-bibliotek-apning"),
        ("../../etc/passwd", "etc-passwd"),
        ("CON", "con-page"),
        ("nul", "nul-page"),
        ("", ""),
        ("a" * 300, "a" * 60),
        ('<>:"/\\|?*', ""),
    ],
)
def test_slugify_is_safe_everywhere(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_package_name_never_empty_or_traversing() -> None:
    name = package_name("https://example.com/../../", WHEN)
    assert "/" not in name and ".." not in name and name.endswith("-example-com-page")


def test_options_validation() -> None:
    with pytest.raises(OptionsError, match="viewport_width_px"):
        CaptureOptions(viewport_width_px=10)
    with pytest.raises(OptionsError, match="capture_timeout_s"):
        CaptureOptions(capture_timeout_s=0)
    with pytest.raises(OptionsError, match="not a proxy URL"):
        CaptureOptions(proxy="proxy.example:8080")
    ok = CaptureOptions(out_dir=Path("/tmp/x"), proxy="http://u:pw@proxy.example:8080")
    prov = ok.for_provenance()
    assert prov["proxy"] == "http://***@proxy.example:8080"
    assert prov["out_dir"] == "/tmp/x"
    assert "pw" not in str(prov)


def test_redact_url_credentials() -> None:
    assert redact_url_credentials("http://proxy:3128") == "http://proxy:3128"
    assert redact_url_credentials("http://a:b@proxy:3128/") == "http://***@proxy:3128/"


def test_header_redaction() -> None:
    r = HeaderRedactor()
    req = r.request_headers([("Cookie", "sid=SECRET"), ("Authorization", "Bearer TOKEN"),
                             ("Accept", "*/*"), ("X-CSRF-Token", "CSRF")])
    assert dict(req) == {"Cookie": MARKER, "Authorization": MARKER, "Accept": "*/*",
                         "X-CSRF-Token": MARKER}
    resp = r.response_headers([("Set-Cookie", "sid=SECRET; Path=/; HttpOnly"),
                               ("Content-Type", "text/html")])
    assert resp[0] == ("Set-Cookie", f"sid={MARKER}; Path=/; HttpOnly")
    assert resp[1] == ("Content-Type", "text/html")
    report = r.report()
    assert report["redacted"] == {"request:cookie": 1, "request:authorization": 1,
                                  "request:x-csrf-token": 1, "response:set-cookie": 1}
    assert "SECRET" not in str(report)
    keep = HeaderRedactor(enabled=False)
    assert keep.request_headers([("Cookie", "sid=S")]) == [("Cookie", "sid=S")]


def test_disabled_features_keep_playwrights_own_list() -> None:
    """Our --disable-features replaces Playwright's (Chromium keeps the last switch), so ours
    must carry every feature Playwright switches off — some of them phone home."""
    import re

    import playwright

    from somecapture.engine.browser import DISABLED_FEATURES

    lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
    found: set[str] = set()
    for bundle in lib.rglob("*.js"):
        text = bundle.read_text("utf-8", errors="replace")
        match = re.search(r"disabledFeatures = (?:\(\) => )?\[(.*?)\]", text, re.S)
        if match:
            body = re.sub(r"//[^\n]*", "", match.group(1))
            found |= set(re.findall(r'"([A-Za-z0-9]+)"', body))
    assert found, f"Playwright's disabledFeatures list not found under {lib}"
    assert found <= set(DISABLED_FEATURES), sorted(found - set(DISABLED_FEATURES))
