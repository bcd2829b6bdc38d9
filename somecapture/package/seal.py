"""The evidence seal: RFC 3161 trusted timestamps over a package's tag manifest.

What is stamped. ``tagmanifest-sha256.txt`` lists the SHA-256 of ``bagit.txt``,
``bag-info.txt`` and ``manifest-sha256.txt``, and the payload manifest lists every file under
``data/``; one time-stamp token over the tag manifest's SHA-256 therefore fixes every byte of
the package at the time the authority (TSA) signed it. Anyone can check it offline, years
later, with ``openssl ts -verify`` and without trusting the archivist's computer.

Layout (the verification side, :mod:`somecapture.package.verify`, reads exactly this). For
the n-th configured authority (1-based, in the configured order), tag files in a
``signatures/`` folder at the bag's top level:

``signatures/tsa-<n>.tsr``
    the TimeStampResp as the TSA sent it (DER): ``openssl ts -verify -in`` reads a response.
``signatures/tsa-<n>-chain.pem``
    the certificates the token carries, in the order received (the request asks for them,
    ``certReq``): the TSA's own certificate first, then what its issuer chain the TSA includes.
``signatures/tsa-<n>.json``
    what was stamped and by whom: url, status, genTime, serial, hash algorithm, policy OID,
    TSA subject.

An authority that gave no good token leaves no file (every number present has all three, which
the verification side requires); the numbers of the others keep the configured order, so a gap
shows an authority that failed. Why it failed is in the capture's result and the catalogue.

Decisions, and why:

* **The signature files are not in the tag manifest they stamp.** They are made after it, and
  listing them would change the stamped file. RFC 8493 §2.2.4 allows tag files a tag manifest
  does not list (implementations ignore their content), and bagit-python's ``validate()``
  accepts the bag (tested). Nothing is lost: a token is itself signed, and a changed or
  swapped token fails its own check; a removed ``signatures/`` folder is caught by the
  catalogue, which keeps the tag manifest's SHA-256 and the tokens of every package it
  published.
* **The outcome cannot be written into the package's metadata.** ``capture-metadata.json`` is
  a payload file under the stamp; writing the outcome into it after stamping would break the
  stamp. The metadata therefore records only the *intent* (``seal``: the authorities asked,
  or ``unsealed`` with the reason); the outcome goes to ``signatures/tsa-<n>.json``, the
  capture's result (status PARTIAL and a warning when an authority failed; the ``seal`` step),
  its provenance and the catalogue. A package whose seal failed is still published: the
  capture itself is sound, and the failure is said, not hidden.
* **A TSA's address is trusted configuration**, set by the agency (config file, command line,
  the app's settings), never by a captured page; so the private-network rule that keeps pages
  off the archivist's network does not apply (an agency may run its TSA on its intranet). The
  request does go through the same proxy as the capture: the configured one (http/https; a
  SOCKS proxy cannot carry it, which is said as the reason), else the computer's own proxy
  settings, as urllib reads them (environment, Windows registry, macOS settings) with their
  bypass list; a loopback address always connects directly (no proxy can reach it).
  Redirects are refused (the configured address is the one trusted), answers are bounded in
  size and each authority in time (:data:`DEFAULT_TIMEOUT_S`); authorities are asked at the
  same time, so a slow one costs its timeout once. That time comes on top of the capture's
  ceiling (``--timeout`` plus the evidence grace of :mod:`somecapture.engine.steps`): the seal
  is made after the package is proved, and is not cut short to keep the ceiling.
* **What the tool checks before it keeps a token** (:func:`check_token`): the response is
  granted; the nonce is ours; the message imprint is SHA-256 of the stamped file; the CMS
  signature verifies with the signer certificate the token carries (found by its
  SignerInfo's identifier, bound by the ESS signing-certificate attribute), whose extended key
  usage is critical with ``timeStamping`` its only purpose (RFC 3161 §2.3) and whose validity
  covers genTime, with a signer digest other than SHA-1 for a token made now. Any other
  failure of an authority (not HTTP, broken off, an unexpected error) is a failed stamp with
  its reason, never a failed capture. Trust in the TSA's root is *not* decided here: that
  needs the agency's trust store and is the verification side's job (``verify --trust``).
* **Library.** ``asn1crypto`` (ASN.1 structures of RFC 3161 and CMS) with ``cryptography``
  (signature checks, certificates). ``rfc3161-client`` was tried first: its strict DER parser
  rejects tokens whose certificate SET is not in DER order, which is how OpenSSL's TSA (and
  others) send them, so it could not read real tokens.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import http.client
import json
import logging
import os
import secrets
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from asn1crypto import core, pem, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from somecapture.config import AgencyConfig
from somecapture.errors import VerificationError
from somecapture.messages import Msg
from somecapture.options import CaptureOptions, safe_tsa_url, url_has_credentials

#: the folder of the seal's tag files, at the bag's top level
SIGNATURES_DIR = "signatures"
#: the file whose SHA-256 is stamped
STAMPED_FILE = "tagmanifest-sha256.txt"
#: the longest one authority may take (connect, send, answer)
DEFAULT_TIMEOUT_S = 10.0
#: the largest answer read from an authority (a token with its chain is a few KiB)
MAX_RESPONSE_BYTES = 1024 * 1024
TOKEN_FORMAT = "somecapture-timestamp/1"
#: what a warning about a failed authority tells the archivist to do next
NEXT_STEP = ("check [timestamp] urls in the config file, or the network; the package is "
             "published without that authority's stamp")

log = logging.getLogger(__name__)

_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
    "sha224": hashes.SHA224, "sha1": hashes.SHA1,
}
#: signer digests too weak for a token made now (collisions are practical): a new token
#: whose signature rests on one is refused; an old one may still be read (``allow_sha1``)
_WEAK_SIGNER_DIGESTS = frozenset({"sha1"})


class TokenError(Exception):
    """A time-stamp answer that cannot be kept; the message says why, for people."""


def tsa_path(n: int, suffix: str) -> str:
    """``signatures/tsa-<n><suffix>``, the bag-relative path of authority n's file."""
    return f"{SIGNATURES_DIR}/tsa-{n}{suffix}"


@dataclass(frozen=True)
class SealConfig:
    """Which authorities to ask, and how to reach them."""

    #: the authorities' addresses, in the agency's order (numbered from 1 in the package)
    urls: tuple[str, ...] = ()
    #: the capture's proxy (``None``: the computer's own proxy settings)
    proxy: str | None = None
    #: accept an untrusted TLS certificate from the TSA (agency TLS-inspection proxies); the
    #: token is signed, so TLS is not what the seal rests on
    ignore_https_errors: bool = False
    timeout_s: float = DEFAULT_TIMEOUT_S
    #: why no stamp is made though one could be (``--no-timestamp``); None otherwise
    disabled_reason: str | None = None

    @classmethod
    def from_options(cls, options: CaptureOptions) -> SealConfig:
        """The seal of a capture with these options (the same proxy as the capture)."""
        return cls(urls=options.timestamp_urls, proxy=options.proxy,
                   ignore_https_errors=options.ignore_https_errors,
                   timeout_s=options.timestamp_timeout_s,
                   disabled_reason=None if options.timestamp else Msg("seal.turned_off"))

    @classmethod
    def for_agency(cls, config: AgencyConfig, urls: tuple[str, ...] | None = None,
                   disabled_reason: str | None = None) -> SealConfig:
        """The authorities of the agency's config (``urls`` given on a command line win),
        reached through its proxy settings: how an export outside a capture is stamped."""
        return cls(urls=tuple(urls or config.timestamp_urls), proxy=config.proxy,
                   ignore_https_errors=bool(config.ignore_https_errors),
                   disabled_reason=disabled_reason)

    @property
    def active(self) -> bool:
        """Whether any authority is asked."""
        return bool(self.urls) and self.disabled_reason is None

    def unsealed_reason(self) -> str:
        """Why a package is not sealed (when :attr:`active` is False)."""
        return self.disabled_reason or Msg("seal.no_authority")

    def intent(self) -> dict[str, Any]:
        """What ``capture-metadata.json`` says about the seal: written before stamping, so
        the intent only (the outcome is in ``signatures/`` and the catalogue)."""
        if not self.active:
            return {"status": "unsealed", "reason": self.unsealed_reason()}
        return {
            "status": "requested",
            "method": "RFC 3161 time-stamp tokens",
            "stamped_file": STAMPED_FILE,
            "hash_algorithm": "sha256",
            "signatures_folder": f"{SIGNATURES_DIR}/",
            "authorities": [safe_tsa_url(u) for u in self.urls],
        }


@dataclass(frozen=True)
class TokenInfo:
    """What a checked token says (see :func:`check_token`)."""

    gen_time: datetime
    serial: int
    hash_algorithm: str
    hashed_message: bytes
    policy: str
    nonce: int | None
    tsa_subject: str
    #: the certificates the token carries, in the order received (DER)
    certificates: tuple[bytes, ...]

    def chain_pem(self) -> bytes:
        """:attr:`certificates` as PEM, in order, each exactly as received (re-armoured,
        never re-encoded: a certificate cryptography would refuse is kept all the same)."""
        return b"".join(pem.armor("CERTIFICATE", der) for der in self.certificates)


@dataclass(frozen=True)
class Timestamp:
    """One authority's outcome for one package."""

    authority: int
    url: str
    seconds: float
    info: TokenInfo | None = None
    #: the TimeStampResp as received (DER); None when the authority failed
    response: bytes | None = None
    reason: str | None = None
    #: something to fix although a token may have been kept (credentials sent in clear)
    warning: str | None = None

    @property
    def ok(self) -> bool:
        """A token was kept."""
        return self.info is not None

    def to_json(self) -> dict[str, Any]:
        """``signatures/tsa-<n>.json`` (a failed one only in the result and catalogue)."""
        data: dict[str, Any] = {
            "format": TOKEN_FORMAT,
            "authority": self.authority,
            "url": self.url,
            "status": "granted" if self.ok else "failed",
            "stamped_file": STAMPED_FILE,
            "seconds": self.seconds,
        }
        if self.warning:
            data["warning"] = self.warning
        if self.info is None or self.response is None:
            data["reason"] = self.reason
            return data
        info = self.info
        data.update({
            "token_file": tsa_path(self.authority, ".tsr"),
            "chain_file": tsa_path(self.authority, "-chain.pem"),
            "token_sha256": hashlib.sha256(self.response).hexdigest(),
            "gen_time": info.gen_time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "serial": str(info.serial),  # up to 160 bits: a string, for every JSON reader
            "hash_algorithm": info.hash_algorithm,
            "hashed_message": info.hashed_message.hex(),
            "policy": info.policy,
            "tsa_subject": info.tsa_subject,
        })
        return data


@dataclass(frozen=True)
class SealOutcome:
    """The seal of one package: for the result, the provenance and the catalogue."""

    #: ``sealed`` (every authority stamped), ``partial`` (some did), ``failed`` (none did),
    #: ``unsealed`` (none asked)
    status: str
    tagmanifest_sha256: str
    seconds: float = 0.0
    timestamps: tuple[Timestamp, ...] = field(default_factory=tuple)
    reason: str | None = None

    def problems(self) -> list[str]:
        """One line per authority that gave no token, with the next step, and per authority
        whose credentials went over plain http (these make the capture PARTIAL)."""
        lines: list[str] = []
        for t in self.timestamps:
            if not t.ok:
                lines.append(Msg("warning.stamp_not_made", authority=str(t.authority),
                                 url=str(t.url), reason=t.reason or ""))
            if t.warning:
                lines.append(Msg("warning.stamp_warning", authority=str(t.authority),
                                 url=str(t.url), warning=t.warning))
        return lines

    def summary(self) -> str:
        """One line for people."""
        if self.status == "unsealed":
            return Msg("seal.summary.unsealed", reason=self.reason or "")
        good = [t for t in self.timestamps if t.ok and t.info is not None]
        if not good:
            return Msg("seal.summary.none_made", count=len(self.timestamps))
        first = min(t.info.gen_time for t in good if t.info is not None)
        return Msg("seal.summary.made", good=len(good), total=len(self.timestamps),
                   file=STAMPED_FILE, when=f"{first.astimezone(UTC):%Y-%m-%d %H:%M:%S}")

    def to_json(self, *, tokens: bool = False) -> dict[str, Any]:
        """Plain JSON data; ``tokens`` adds each response (base64 DER) for the catalogue."""
        stamps = []
        for t in self.timestamps:
            entry = t.to_json()
            if tokens and t.response is not None:
                entry["token_der_base64"] = base64.b64encode(t.response).decode("ascii")
            stamps.append(entry)
        data: dict[str, Any] = {"status": self.status,
                                "tagmanifest_sha256": self.tagmanifest_sha256,
                                "seconds": self.seconds, "timestamps": stamps}
        if self.reason:
            data["reason"] = self.reason
        return data


# -- request and answer ---------------------------------------------------------------------

def make_query(data: bytes) -> tuple[bytes, int]:
    """A DER TimeStampReq over SHA-256 of ``data`` asking for the certificates, and its
    nonce (a 63-bit number whose top bit is set, so every nonce is positive and of the same
    length, and whose other 62 bits are random: ties the answer to this request)."""
    nonce = secrets.randbits(63) | 1 << 62
    req = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce,
        "cert_req": True,
    })
    return req.dump(), nonce


def _attr(attrs: Any, name: str) -> Any:
    """The single value of signed attribute ``name``, or None."""
    for attr in attrs:
        if attr["type"].native == name:
            values = attr["values"]
            if len(values) != 1:
                raise TokenError(Msg("tsa.attr_values", name=name, count=len(values)))
            return values[0]
    return None


def _find_signer(certs: list[Any], sid: Any) -> Any:
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            ias = sid.chosen
            if cert.issuer == ias["issuer"] and cert.serial_number == ias["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise TokenError(Msg("tsa.no_signer_cert"))


def _check_signing_certificate(attrs: Any, signer_der: bytes) -> None:
    """The ESS signing-certificate attribute (RFC 2634 / RFC 5035) names the signer
    certificate by hash: it binds the certificate to the signature."""
    v2 = _attr(attrs, "signing_certificate_v2")
    if v2 is not None:
        first = v2["certs"][0]
        algo = first["hash_algorithm"]["algorithm"].native
        if algo not in _HASHES:
            raise TokenError(Msg("tsa.cert_hash_unsupported", algorithm=str(algo)))
        digest = hashes.Hash(_HASHES[algo]())
        digest.update(signer_der)
        if digest.finalize() != first["cert_hash"].native:
            raise TokenError(Msg("tsa.cert_attr_other"))
        return
    v1 = _attr(attrs, "signing_certificate")
    if v1 is None:
        raise TokenError(Msg("tsa.no_cert_attr"))
    if hashlib.sha1(signer_der).digest() != v1["certs"][0]["cert_hash"].native:  # noqa: S324
        raise TokenError(Msg("tsa.cert_attr_other"))


def _verify_signature(signer_info: Any, cert: x509.Certificate, signed: bytes) -> None:
    """The SignerInfo's signature over its signed attributes, with ``cert``'s key."""
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise TokenError(Msg("tsa.digest_unsupported", digest=str(digest_name)))
    algo = _HASHES[digest_name]()
    sig_algo = signer_info["signature_algorithm"]
    signature = signer_info["signature"].native
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if sig_algo.signature_algo == "rsassa_pss":
                params = sig_algo["parameters"]
                pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
                key.verify(signature, signed, padding.PSS(
                    mgf=padding.MGF1(pss_hash), salt_length=params["salt_length"].native),
                    pss_hash)
            else:
                key.verify(signature, signed, padding.PKCS1v15(), algo)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(algo))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(signature, signed)
        else:
            raise TokenError(Msg("tsa.key_unsupported", kind=type(key).__name__))
    except InvalidSignature:
        raise TokenError(Msg("tsa.signature_invalid")) from None
    except (KeyError, ValueError) as exc:
        raise TokenError(Msg("tsa.signature_unchecked", detail=str(exc))) from None


def _check_tsa_certificate(cert: x509.Certificate, gen_time: datetime) -> None:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise TokenError(Msg("tsa.no_eku")) from None
    if not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise TokenError(Msg("tsa.eku_wrong"))
    if not cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc:
        raise TokenError(Msg("tsa.cert_not_valid", when=str(gen_time)))


def _refusal(response: bytes) -> Msg | None:
    """Why the authority refused, from a TimeStampResp that carries only its status (a
    refusal has no token, which asn1crypto's TimeStampResp cannot parse); None otherwise."""
    try:
        outer = core.Sequence.load(response, strict=True)
        info = tsp.PKIStatusInfo.load(outer[0].dump())
        status = info["status"].native
        text = info["status_string"].native
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if status in ("granted", "granted_with_mods"):
        return None
    return Msg("tsa.refused", status=str(status), text=f" ({'; '.join(text)})" if text else "")


def check_token(response: bytes, stamped: bytes, nonce: int | None = None, *,
                stamped_name: str = STAMPED_FILE, allow_sha1: bool = True) -> TokenInfo:
    """Parse a DER TimeStampResp and check it is a good token over ``stamped`` (the file
    ``stamped_name``, as the reason names it).

    Checks: status granted, a signed TSTInfo whose imprint is the hash of ``stamped``, the
    ``nonce`` when given, the CMS signature with the signer certificate the token carries (ESS
    binding, critical timeStamping as the only key usage, valid at genTime; a SHA-1 signer
    digest only when ``allow_sha1``: a token being made now passes False). Not checked: whether the
    TSA's chain ends in a root the reader trusts. Raises :class:`TokenError` with the reason.

    The verification side may use it as is (the stamped bytes are the package's tag manifest).
    """
    try:
        resp = tsp.TimeStampResp.load(response, strict=True)
        status = resp["status"]["status"].native
    except (ValueError, TypeError, KeyError) as exc:
        refusal = _refusal(response)
        if refusal:
            raise TokenError(refusal) from None
        raise TokenError(Msg("tsa.not_response", detail=str(exc))) from None
    if status not in ("granted", "granted_with_mods"):
        raise TokenError(_refusal(response) or Msg("tsa.not_granted", status=str(status)))
    try:
        token = resp["time_stamp_token"]
        if token is None or token.native is None or token["content_type"].native != "signed_data":
            raise TokenError(Msg("tsa.no_signed_token"))
        signed_data = token["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TokenError(Msg("tsa.not_tstinfo"))
        econtent: bytes = encap["content"].contents
        tst = tsp.TSTInfo.load(econtent)
        imprint = tst["message_imprint"]
        hash_name = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
        gen_time = tst["gen_time"].native
        token_nonce = tst["nonce"].native
        certs = [c.chosen for c in signed_data["certificates"] or []
                 if c.name == "certificate"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise TokenError(Msg("tsa.signers", count=len(signer_infos)))
        signer_info = signer_infos[0]
        attrs = signer_info["signed_attrs"]
        if not len(attrs):
            raise TokenError(Msg("tsa.no_signed_attrs"))
        if _attr(attrs, "content_type").native != "tst_info":
            raise TokenError(Msg("tsa.content_type"))
        message_digest = _attr(attrs, "message_digest").native
        signer = _find_signer(certs, signer_info["sid"])
        signer_der = signer.dump()
        _check_signing_certificate(attrs, signer_der)
        # the signature covers the signed attributes as a SET OF (tag 0x31), not as the
        # [0] IMPLICIT field they are stored in (RFC 5652 §5.4): same contents, other tag
        signed_bytes = attrs.untag().dump()
        policy = tst["policy"].dotted
    except TokenError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise TokenError(Msg("tsa.unreadable", detail=str(exc))) from None
    if hash_name not in _HASHES:
        raise TokenError(Msg("tsa.imprint_unsupported", algorithm=str(hash_name)))
    if hash_name != "sha256":
        raise TokenError(Msg("tsa.imprint_not_sha256", algorithm=str(hash_name)))
    if hashed != hashlib.sha256(stamped).digest():
        raise TokenError(Msg("tsa.other_data", file=stamped_name))
    if nonce is not None and token_nonce != nonce:
        raise TokenError(Msg("tsa.nonce"))
    digest_name = signer_info["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise TokenError(Msg("tsa.digest_unsupported", digest=str(digest_name)))
    if not allow_sha1 and digest_name in _WEAK_SIGNER_DIGESTS:
        raise TokenError(Msg("tsa.weak", digest=str(digest_name).upper()))
    content_digest = hashes.Hash(_HASHES[digest_name]())
    content_digest.update(econtent)
    if content_digest.finalize() != message_digest:
        raise TokenError(Msg("tsa.digest_mismatch"))
    try:
        cert = x509.load_der_x509_certificate(signer_der)
    except ValueError as exc:
        raise TokenError(Msg("tsa.cert_unreadable", detail=str(exc))) from None
    _verify_signature(signer_info, cert, signed_bytes)
    _check_tsa_certificate(cert, gen_time)
    return TokenInfo(
        gen_time=gen_time, serial=int(tst["serial_number"].native), hash_algorithm=hash_name,
        hashed_message=hashed, policy=policy, nonce=token_nonce,
        tsa_subject=cert.subject.rfc4514_string(),
        certificates=tuple(c.dump() for c in certs),
    )


# -- asking an authority ----------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The configured address is the one trusted: a redirect is reported, not followed."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise TokenError(Msg("tsa.redirected", code=str(code), url=safe_tsa_url(newurl)))


def _is_loopback(host: str) -> bool:
    h = host.strip("[]").lower().rstrip(".")
    return h in ("localhost", "::1") or h.endswith(".localhost") or h.startswith("127.")


def _opener(url: str, proxy: str | None, ignore_https_errors: bool
            ) -> urllib.request.OpenerDirector:
    host = urlsplit(url).hostname or ""
    if _is_loopback(host):
        proxies: dict[str, str] | None = {}  # no proxy can reach this computer's own address
    elif proxy:
        if urlsplit(proxy).scheme not in ("http", "https"):
            raise TokenError(Msg("tsa.proxy_not_http", proxy=safe_tsa_url(proxy)))
        proxies = {"http": proxy, "https": proxy}
    else:
        proxies = None  # the computer's settings and bypass list, as urllib reads them
    context = ssl.create_default_context()
    if ignore_https_errors:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies), urllib.request.HTTPSHandler(context=context),
        _NoRedirect())


def post_query(url: str, query: bytes, *, proxy: str | None = None,
               timeout_s: float = DEFAULT_TIMEOUT_S, ignore_https_errors: bool = False) -> bytes:
    """POST a DER TimeStampReq to ``url`` (RFC 3161 §3.4) and return the answer's body.

    Credentials in the URL (``https://user:pw@tsa/``) are sent as HTTP Basic. Raises
    :class:`TokenError` with a reason for people.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TokenError(Msg("tsa.not_http_address"))
    headers = {"Content-Type": "application/timestamp-query",
               "Accept": "application/timestamp-reply", "User-Agent": "somecapture"}
    if parts.username is not None:
        login = f"{parts.username}:{parts.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(login).decode("ascii")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    deadline = time.monotonic() + timeout_s
    request = urllib.request.Request(url, data=query, headers=headers, method="POST")
    try:
        with _opener(url, proxy, ignore_https_errors).open(request, timeout=timeout_s) as resp:
            body = b""
            while chunk := resp.read(64 * 1024):
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise TokenError(Msg("tsa.too_large", limit=MAX_RESPONSE_BYTES))
                if time.monotonic() > deadline:
                    raise TimeoutError
    except urllib.error.HTTPError as exc:
        raise TokenError(Msg("tsa.http_error", code=str(exc.code), reason=str(exc.reason))
                         ) from None
    except (TimeoutError, ssl.SSLError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            raise TokenError(Msg("tsa.timeout", seconds=f"{timeout_s:g}")) from None
        why = ("refused" if isinstance(reason, ConnectionRefusedError) else
               "unknown_host" if isinstance(reason, socket.gaierror) else "other")
        raise TokenError(Msg("tsa.unreachable", why=why, reason=str(reason))) from None
    except http.client.HTTPException as exc:
        # BadStatusLine (e.g. an SSH server's banner), LineTooLong, IncompleteRead: what
        # answered is not an HTTP server, or broke off (RemoteDisconnected, an OSError too,
        # is said as "cannot reach" above)
        raise TokenError(Msg("tsa.not_http", detail=f"{type(exc).__name__}: {_said(exc)}")
                         ) from None
    if time.monotonic() > deadline:
        raise TokenError(Msg("tsa.timeout", seconds=f"{timeout_s:g}"))
    return body


def _said(exc: BaseException, limit: int = 120) -> str:
    """An exception's words, short and on one line (a server's banner can be anything)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _scrubbed(text: str, url: str) -> str:
    """``text`` without ``url``'s secrets (the address as it may be shown; its password and
    its query, when that holds a credential, wherever else they appear)."""
    parts = urlsplit(url)
    text = text.replace(url, safe_tsa_url(url))
    for secret in (parts.password, parts.query if url_has_credentials(url) else None):
        if secret:
            text = text.replace(secret, "***")
    return text


def cleartext_warning(url: str) -> Msg | None:
    """Why ``url``'s credentials are exposed (sent over plain http to another computer), or
    None."""
    parts = urlsplit(url)
    if (parts.scheme != "http" or _is_loopback(parts.hostname or "")
            or not url_has_credentials(url)):
        return None
    return Msg("tsa.cleartext")


def request_timestamp(url: str, stamped: bytes, config: SealConfig, authority: int, *,
                      stamped_name: str = STAMPED_FILE) -> Timestamp:
    """Ask one authority for a token over ``stamped`` (the file ``stamped_name``); never
    raises for its failures: whatever goes wrong is a failed :class:`Timestamp` with the
    reason."""
    t0 = time.monotonic()
    shown = safe_tsa_url(url)
    warning = cleartext_warning(url)
    try:
        query, nonce = make_query(stamped)
        answer = post_query(url, query, proxy=config.proxy, timeout_s=config.timeout_s,
                            ignore_https_errors=config.ignore_https_errors)
        info = check_token(answer, stamped, nonce, stamped_name=stamped_name, allow_sha1=False)
    except TokenError as exc:
        said = exc.args[0] if exc.args else ""
        # the reason may quote the address (a server's words): its secrets are scrubbed out
        # of every parameter, and the message keeps its code
        reason = (said.map_params(lambda text: _scrubbed(text, url)) if isinstance(said, Msg)
                  else _scrubbed(str(exc), url))
        return Timestamp(authority, shown, round(time.monotonic() - t0, 3),
                         reason=reason, warning=warning)
    except Exception as exc:  # noqa: BLE001 - an authority's failure never fails the capture
        said = _scrubbed(f"{type(exc).__name__}: {_said(exc)}", url)
        log.warning("time-stamp authority %d (%s) gave an unexpected answer: %s",
                    authority, shown, said)
        return Timestamp(authority, shown, round(time.monotonic() - t0, 3),
                         reason=Msg("tsa.unexpected", detail=said), warning=warning)
    return Timestamp(authority, shown, round(time.monotonic() - t0, 3), info=info,
                     response=answer, warning=warning)


def request_timestamps(stamped: bytes, config: SealConfig, *,
                       stamped_name: str = STAMPED_FILE) -> list[Timestamp]:
    """Ask every configured authority (numbered from 1, in order) for a token over
    ``stamped``, all at the same time: a slow one costs its timeout once, not per authority.
    Never raises for an authority's failure (each outcome says what it did)."""
    if not config.urls:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(len(config.urls), 8),
                                               thread_name_prefix="tsa") as pool:
        return list(pool.map(lambda item: request_timestamp(
            item[1], stamped, config, item[0], stamped_name=stamped_name),
            enumerate(config.urls, 1)))


# -- sealing a bag -----------------------------------------------------------------------------

def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def seal_bag(bag_dir: Path, config: SealConfig, cancel: threading.Event | None = None
             ) -> SealOutcome:
    """Stamp ``bag_dir``'s tag manifest with every configured authority and write
    ``signatures/`` (see the module's docstring). Never raises for an authority's failure:
    the outcome says what each did. The bag must be complete (its tag manifest written)."""
    stamped = (bag_dir / STAMPED_FILE).read_bytes()
    digest = hashlib.sha256(stamped).hexdigest()
    if not config.active:
        return SealOutcome("unsealed", digest, reason=config.unsealed_reason())
    t0 = time.monotonic()
    stamps = request_timestamps(stamped, config)
    if cancel is not None and cancel.is_set():
        return SealOutcome("failed", digest, round(time.monotonic() - t0, 3), tuple(stamps),
                           reason="cancelled")
    for stamp in stamps:
        n = stamp.authority
        if stamp.info is None or stamp.response is None:
            continue  # no files: the reason is in the outcome (result, catalogue)
        (bag_dir / SIGNATURES_DIR).mkdir(exist_ok=True)
        _write(bag_dir / tsa_path(n, ".tsr"), stamp.response)
        _write(bag_dir / tsa_path(n, "-chain.pem"), stamp.info.chain_pem())
        text = json.dumps(stamp.to_json(), ensure_ascii=False, indent=2) + "\n"
        _write(bag_dir / tsa_path(n, ".json"), text.encode("utf-8"))
    # what was stamped is what is there: nothing wrote the tag manifest meanwhile
    if hashlib.sha256((bag_dir / STAMPED_FILE).read_bytes()).hexdigest() != digest:
        raise VerificationError([Msg("seal.changed_while_stamping", file=STAMPED_FILE)])
    granted = sum(1 for s in stamps if s.ok)
    status = "sealed" if granted == len(stamps) else "partial" if granted else "failed"
    return SealOutcome(status, digest, round(time.monotonic() - t0, 3), tuple(stamps))


__all__ = [
    "DEFAULT_TIMEOUT_S", "NEXT_STEP", "SIGNATURES_DIR", "STAMPED_FILE", "SealConfig",
    "SealOutcome", "Timestamp", "TokenError", "TokenInfo", "check_token", "cleartext_warning",
    "make_query", "post_query",
    "request_timestamp", "request_timestamps", "seal_bag", "tsa_path",
]
