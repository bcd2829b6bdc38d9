"""URL checking: good URLs normalised, bad ones rejected with a clear message."""

from __future__ import annotations

import pytest

from somecapture.errors import InvalidURLError
from somecapture.inputs import MAX_URL_LENGTH, normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://www.facebook.com/oslokommune/posts/123",
         "https://www.facebook.com/oslokommune/posts/123"),
        ("  https://x.com/a/status/1  ", "https://x.com/a/status/1"),
        ("example.com/post/1", "https://example.com/post/1"),
        ("//example.com/a", "https://example.com/a"),
        ("HTTP://Example.COM/A", "http://example.com/A"),
        ("https://blåbær.no/søk?q=æ", "https://xn--blbr-roah.no/s%C3%B8k?q=%C3%A6"),
        ("https://mastodon.social/@user/1#comment", "https://mastodon.social/@user/1#comment"),
        ("http://127.0.0.1:8080/post/1", "http://127.0.0.1:8080/post/1"),
        ("https://[::1]:8443/x", "https://[::1]:8443/x"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a%20b", "https://example.com/a%20b"),
    ],
)
def test_good_urls(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("file:///etc/passwd", "file: scheme"),
        ("javascript:alert(1)", "javascript: scheme"),
        ("data:text/html,<b>x</b>", "data: scheme"),
        ("chrome://settings", "chrome: scheme"),
        ("about:blank", "about: scheme"),
        ("ftp://example.com/x", "ftp: scheme"),
        ("gopher://example.com/", "gopher: scheme"),
        ("not a url", "not a web address"),
        ("https://", "no host name"),
        ("https://exa mple.com/", "spaces"),
        ("https://user:secret@example.com/", "user name or password"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://example.com/\nhttps://b.com/", "control characters"),
        ("https://" + "a" * MAX_URL_LENGTH + ".com/", "characters long"),
    ],
)
def test_bad_urls(given: str, fragment: str) -> None:
    with pytest.raises(InvalidURLError) as info:
        normalize_url(given)
    assert fragment in str(info.value)
    assert "Traceback" not in str(info.value)
