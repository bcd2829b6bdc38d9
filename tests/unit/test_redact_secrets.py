"""Which URL parameters are credentials, and the forms a known secret is found in."""

from __future__ import annotations

import base64

import pytest

from somecapture.redact import (
    MARKER,
    HeaderRedactor,
    find_secrets,
    is_secret_param,
    storage_secrets,
)

SECRET = "Q7vK2mXp9LzR4tWb8NcYs"


@pytest.mark.parametrize("name", [
    "ticket", "session_token", "sessionToken", "access_token", "oauth_token", "apiKey",
    "api_key", "key", "sig", "X-Amz-Signature", "client_secret", "fb_dtsg", "csrf",
    "SAMLResponse", "authorization", "auth", "code_verifier", "sid", "nonce", "password"])
def test_credential_names(name: str) -> None:
    assert is_secret_param(name, "a1b2c3d4e5")


@pytest.mark.parametrize("name", [
    "keyword", "keywords", "author", "monkey", "signup", "design", "_nc_sid", "country_code",
    "client_id", "authuser", "page", "q", "oh", "state_id"])
def test_ordinary_names(name: str) -> None:
    assert not is_secret_param(name, "a1b2c3d4e5")


def test_code_and_state_only_for_values_that_are_no_word() -> None:
    assert not is_secret_param("code", "NO") and not is_secret_param("state", "closed")
    assert is_secret_param("code", "4/0AX4XfWh") and is_secret_param("state", "af0ifjsldkj9")


def test_known_secret_found_and_replaced_in_every_form() -> None:
    r = HeaderRedactor(learn_secrets=True)
    r.add_secret(SECRET)
    raw = SECRET.encode()
    forms = [raw, raw.hex().encode(), raw.hex().upper().encode(), base64.b64encode(raw),
             base64.urlsafe_b64encode(raw).rstrip(b"="),
             base64.b64encode(b"uid=42;sid=" + raw + b";exp=1")]  # inside a longer text
    for form in forms:
        assert find_secrets(b"<p>" + form + b"</p>", {SECRET}) == {SECRET}
        body = r.body(b"<p>" + form + b"</p>", "text/html")
        assert find_secrets(body, {SECRET}) == set() and MARKER.encode() in body
    url = r.url(f"https://x.example/p/{SECRET}?ticket=T0k3nValue99&q=kari")
    assert url == f"https://x.example/p/{MARKER}?ticket={MARKER}&q=kari"
    assert "T0k3nValue99" in r.secrets  # learned: replaced in bodies from now on
    assert r.text(f"Could not open https://x.example/a?b={SECRET}.") == \
        f"Could not open https://x.example/a?b={MARKER}."


def test_local_storage_values_are_secrets() -> None:
    state = {"cookies": [{"name": "sid", "value": "c00kieValue1"}], "origins": [{
        "origin": "https://x.example", "localStorage": [
            {"name": "auth_token", "value": "shortTok1"},
            {"name": "theme", "value": "dark-mode"},
            {"name": "blob", "value": '{"user": {"jwt": "eyJhbGciOi.x"}, "n": 1}'},
            {"name": "id", "value": "5f0c9a1e7b3d4c2a8e6f"}]}]}
    assert sorted(storage_secrets(state)) == sorted(
        ["c00kieValue1", "shortTok1", "eyJhbGciOi.x", "5f0c9a1e7b3d4c2a8e6f"])
