"""Origin certificates: the TLS certificate chain each HTTPS origin of a capture presented.

Read from the browser, not from the guard proxy: HTTPS passes the proxy as a ``CONNECT`` tunnel
with TLS end to end, and under TLS 1.3 the server's certificate is encrypted, so the proxy never
sees it. The browser does. For every HTTPS origin a response came from (the page's CDP session,
``Network.responseReceived``, and a redirect's response with the next hop's request), once per
origin:

* ``response.securityDetails`` gives the protocol, cipher and key exchange, and whether the
  certificate was accepted (``response.securityState``: ``insecure`` for a certificate the
  browser refused and was told to ignore, ``--ignore-https-errors``);
* ``Network.getCertificate({origin})`` gives the chain as the server presented it (base64 DER,
  leaf first), asked at once, while the connection is known to the browser;
* ``Security.visibleSecurityStateChanged`` names the error of the page's own certificate
  (``net::ERR_CERT_AUTHORITY_INVALID`` and the like), matched to its origin by the leaf.

Origins of requests only Playwright saw (workers, out-of-process frames) are added at the end
(:meth:`OriginCertificates.add_origins`): their chain is asked for the same way, without the
response's details.

Each chain is written to the WARC as one ``resource`` record (:meth:`OriginCertificates.write`):
``WARC-Target-URI: urn:somecapture:<capture id>:tls-certificate-chain:<origin>``,
``WARC-Refers-To-Target-URI: <origin>/``, ``Content-Type: application/pem-certificate-chain``
(RFC 8555), the body the chain in PEM, leaf first, as presented. :meth:`OriginCertificates.summary`
is the provenance's ``tls`` object: per origin subject, issuer, validity, the SHA-256 of the
leaf (of its DER bytes, as ``openssl x509 -fingerprint -sha256`` prints it), SANs, protocol and
the browser's verdict.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from playwright.async_api import CDPSession
from playwright.async_api import Error as PlaywrightError

from somecapture.warc.writer import CaptureWarcWriter

log = logging.getLogger(__name__)

#: RFC 8555 §9.1: PEM certificates, end-entity first
CHAIN_CONTENT_TYPE = "application/pem-certificate-chain"
#: origins listed in the provenance (every chain is in the WARC)
MAX_LISTED = 200
#: how long the browser may take to hand over one chain
FETCH_TIMEOUT_S = 5.0


def chain_uri(capture_id: str, origin: str) -> str:
    """The ``WARC-Target-URI`` of ``origin``'s chain record."""
    return f"urn:somecapture:{capture_id}:tls-certificate-chain:{origin}"


def origin_of(url: str) -> str | None:
    """``https://host[:port]`` of an HTTPS ``url`` (default port left out, as the browser
    serialises an origin); None for any other scheme."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.netloc:
        return None
    host = parts.netloc.rpartition("@")[2].lower()
    if host.endswith(":443"):
        host = host[:-4]
    return f"https://{host}"


def _moment(value: Any) -> str | None:
    if not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _general_name(name: x509.GeneralName) -> str:
    value = name.value
    return value.rfc4514_string() if isinstance(value, x509.Name) else str(value)


def describe(der: bytes) -> dict[str, Any]:
    """Subject, issuer, validity, serial, SANs and SHA-256 fingerprint of one DER certificate."""
    cert = x509.load_der_x509_certificate(der)
    try:
        sans = [_general_name(v) for v in cert.extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value]
    except (x509.ExtensionNotFound, ValueError):
        sans = []
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "valid_from": _time(cert.not_valid_before_utc),
        "valid_to": _time(cert.not_valid_after_utc),
        "serial": format(cert.serial_number, "x"),
        "sha256": cert.fingerprint(hashes.SHA256()).hex(),
        "san": sans,
    }


def pem_chain(chain: list[bytes]) -> bytes:
    """The chain in PEM, one certificate after the other, as given (leaf first)."""
    out = b""
    for der in chain:
        try:
            out += x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
        except ValueError:
            # not a certificate cryptography can read: still kept, in the same armour
            text = base64.encodebytes(der).decode("ascii").replace("\n", "")
            lines = [text[i:i + 64] for i in range(0, len(text), 64)]
            out += ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines)
                    + "\n-----END CERTIFICATE-----\n").encode("ascii")
    return out


@dataclass
class _Origin:
    origin: str
    first_seen: datetime
    details: dict[str, Any] = field(default_factory=dict)
    security_state: str = ""
    chain: list[bytes] = field(default_factory=list)
    problem: str | None = None
    network_error: str | None = None
    record: str | None = None


class OriginCertificates:
    """The certificate chains of one capture's HTTPS origins, read from the page's CDP session.

    ``ignore_https_errors`` is the capture's option: a certificate the browser refused is then
    summarised as such (the capture went on regardless)."""

    def __init__(self, cdp: CDPSession, *, ignore_https_errors: bool = False) -> None:
        self.cdp = cdp
        self.ignore_https_errors = ignore_https_errors
        self._origins: dict[str, _Origin] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: leaf DER -> the browser's certificate error, from the page's security state
        self._errors: dict[bytes, str] = {}
        self._closed = False

    async def start(self) -> None:
        """Listen to responses and to the page's security state (the recorder enables the
        ``Network`` domain)."""
        self.cdp.on("Network.responseReceived", self._on_response)
        # a redirect's response comes with the next hop's request, never as responseReceived
        self.cdp.on("Network.requestWillBeSent", self._on_redirect)
        self.cdp.on("Security.visibleSecurityStateChanged", self._on_security_state)
        try:
            await self.cdp.send("Security.enable")
        except PlaywrightError as exc:  # the certificate errors are then not named
            log.debug("Security.enable failed: %s", exc)

    # -- events ---------------------------------------------------------------------------
    def _on_response(self, params: dict[str, Any]) -> None:
        response = params.get("response") or {}
        origin = origin_of(str(response.get("url", "")))
        if origin is None or self._closed:
            return
        known = self._origins.get(origin)
        details = response.get("securityDetails")
        if known is not None:
            if not known.details and isinstance(details, dict):
                known.details = details
                known.security_state = str(response.get("securityState", ""))
            return
        entry = _Origin(origin, datetime.now(UTC), security_state=str(
            response.get("securityState", "")))
        if isinstance(details, dict):
            entry.details = details
        self._origins[origin] = entry
        self._spawn(entry)

    def _on_redirect(self, params: dict[str, Any]) -> None:
        if isinstance(params.get("redirectResponse"), dict):
            self._on_response({"response": params["redirectResponse"]})

    def _on_security_state(self, params: dict[str, Any]) -> None:
        state = (params.get("visibleSecurityState") or {}).get("certificateSecurityState")
        if not isinstance(state, dict):
            return
        error = state.get("certificateNetworkError")
        certs = state.get("certificate") or []
        if error and certs:
            try:
                self._errors[base64.b64decode(certs[0])] = str(error)
            except (binascii.Error, TypeError):
                pass

    def add_origins(self, urls: list[str]) -> None:
        """Origins of requests the page's session did not see (workers, other frames)."""
        for url in urls:
            origin = origin_of(url)
            if origin is not None and origin not in self._origins and not self._closed:
                entry = _Origin(origin, datetime.now(UTC))
                self._origins[origin] = entry
                self._spawn(entry)

    def _spawn(self, entry: _Origin) -> None:
        task = asyncio.ensure_future(self._fetch(entry))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fetch(self, entry: _Origin) -> None:
        try:
            reply = await asyncio.wait_for(
                self.cdp.send("Network.getCertificate", {"origin": entry.origin}),
                FETCH_TIMEOUT_S)
            entry.chain = [base64.b64decode(n) for n in reply.get("tableNames") or []]
            if not entry.chain:
                entry.problem = "the browser had no certificate for this origin"
        except (PlaywrightError, TimeoutError, binascii.Error) as exc:
            entry.problem = f"the browser did not hand over the certificate chain: {exc}"

    async def finish(self, timeout_s: float) -> None:
        """Wait for the chains still being asked for; stop listening for new origins."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=max(0.1, timeout_s))
        for task in list(self._tasks):
            task.cancel()
        self._closed = True

    # -- output ---------------------------------------------------------------------------
    def write(self, writer: CaptureWarcWriter, capture_id: str) -> int:
        """One ``resource`` record per origin with a chain; returns how many were written."""
        written = 0
        for entry in self._origins.values():
            if not entry.chain or entry.record is not None:
                continue
            uri = chain_uri(capture_id, entry.origin)
            writer.write_resource(uri, CHAIN_CONTENT_TYPE, pem_chain(entry.chain),
                                  refers_to_uri=entry.origin + "/", moment=entry.first_seen)
            entry.record = uri
            written += 1
        return written

    def summary(self) -> dict[str, Any]:
        """The provenance's ``tls`` object."""
        origins = [self._summary_of(e) for e in self._origins.values()]
        refused = [o["origin"] for o in origins if o.get("accepted_by_browser") is False]
        return {
            "source": "the browser (CDP Network.getCertificate and securityDetails); the "
                      "guard proxy relays TLS end to end and never sees a certificate",
            "record_content_type": CHAIN_CONTENT_TYPE,
            "origins_total": len(origins),
            "chains_recorded": sum(1 for e in self._origins.values() if e.record),
            "ignore_https_errors": self.ignore_https_errors,
            "not_accepted": refused,
            "origins": origins[:MAX_LISTED],
        }

    def _summary_of(self, entry: _Origin) -> dict[str, Any]:
        d = entry.details
        out: dict[str, Any] = {"origin": entry.origin, "record": entry.record}
        leaf: dict[str, Any] = {}
        if entry.chain:
            try:
                leaf = describe(entry.chain[0])
            except ValueError as exc:
                out["problem"] = f"the leaf certificate cannot be read: {exc}"
        if leaf:
            out.update(leaf)
        elif d:  # no chain: what the response said about the certificate
            out.update({"subject": d.get("subjectName"), "issuer": d.get("issuer"),
                        "valid_from": _moment(d.get("validFrom")),
                        "valid_to": _moment(d.get("validTo")), "sha256": None,
                        "san": list(d.get("sanList") or [])})
        chain = []
        for der in entry.chain[1:]:
            try:
                c = describe(der)
                chain.append({k: c[k] for k in ("subject", "issuer", "valid_to", "sha256")})
            except ValueError:
                chain.append({"sha256": None, "problem": "not readable"})
        out["chain_length"] = len(entry.chain)
        out["issuers_presented"] = chain
        if d:
            out.update({"protocol": d.get("protocol"), "cipher": d.get("cipher"),
                        "key_exchange_group": d.get("keyExchangeGroup") or d.get("keyExchange"),
                        "certificate_transparency": d.get("certificateTransparencyCompliance")})
        error = self._errors.get(entry.chain[0]) if entry.chain else None
        state = entry.security_state
        if error or state == "insecure":
            out["accepted_by_browser"] = False
            why = error or "the browser marked the connection insecure"
            out["certificate_error"] = (
                f"{why}; the capture went on because HTTPS errors were ignored "
                "(--ignore-https-errors)" if self.ignore_https_errors else why)
        elif state == "secure":
            out["accepted_by_browser"] = True
        else:
            out["accepted_by_browser"] = None  # not reported (e.g. a worker's request)
        if entry.problem:
            out["problem"] = entry.problem
        return out
