"""Proving a package's seal: the RFC 3161 time-stamp tokens in its ``signatures/`` folder.

The seal (written by :mod:`somecapture.package.seal`) stamps ``tagmanifest-sha256.txt``, which
lists the SHA-256 of ``bag-info.txt`` and of the payload manifest, which lists every payload
file: one stamp covers every file of the package. For authority *n* the folder holds
``tsa-<n>.tsr`` (the DER TimeStampResp), ``tsa-<n>-chain.pem`` (the TSA's certificate chain)
and ``tsa-<n>.json`` (what the tool read from the token, for people).

For each token this module checks, with asn1crypto parsing the DER and cryptography doing the
signature and certificate work (nothing is decoded by hand; the token's own proof is the
packager's :func:`somecapture.package.seal.check_token`, the same check it made before keeping
the token):

* the token was granted and its message imprint is the hash of the tag manifest as it is now;
* the CMS signature over the token's signed attributes, and those attributes' digest of the
  TSTInfo and (ESS) of the signing certificate;
* the signing certificate is a time-stamping certificate (critical EKU ``timeStamping``) and
  chains, as of the stamped time, to the root in the stored chain and, where the archivist
  gives one, to a certificate of a trust store;
* the ``.json`` beside it says what the token says.

``openssl ts -verify -data tagmanifest-sha256.txt -in tsa-1.tsr -CAfile tsa-1-chain.pem`` is
the independent check a third party can make with no tool of ours.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store

from somecapture.messages import Msg, message_of
from somecapture.package.seal import TokenError, check_token

SIGNATURES_DIR = "signatures"
STAMPED_NAME = "tagmanifest-sha256.txt"
#: the files an authority's stamp consists of; nothing else belongs in ``signatures/``
SEAL_FILE_RE = re.compile(r"tsa-(?P<n>[1-9][0-9]{0,3})(?P<kind>\.tsr|-chain\.pem|\.json)")

#: what the summary says of a seal no trust store proved (the CLI and the app show it as is)
NOT_TRUSTED = Msg("verify.not_trusted")

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}


class SealFormatError(ValueError):
    """A token that cannot be read as an RFC 3161 time-stamp (said in the user's terms)."""


@dataclass(frozen=True)
class StampedToken:
    """What one time-stamp token says (parsed, not yet proved)."""

    der: bytes
    gen_time: datetime
    serial: int
    policy: str
    hash_algorithm: str
    imprint: bytes
    tsa_name: str | None
    #: the DER TSTInfo the signature covers
    tst_info: bytes
    signer_info: cms.SignerInfo
    certificates: tuple[x509.Certificate, ...]


def read_token(der: bytes) -> StampedToken:
    """Parse a DER TimeStampResp (or a bare TimeStampToken) into a :class:`StampedToken`.

    Raises :class:`SealFormatError` when the bytes are no granted time-stamp token.
    """
    try:
        content_info = _content_info(der)
        signed = content_info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise SealFormatError(Msg("tsa.not_tstinfo"))
        info = encap["content"].parsed
        imprint = info["message_imprint"]
        signers = list(signed["signer_infos"])
        if len(signers) != 1:
            raise SealFormatError(Msg("seal.signers", count=len(signers)))
        certs = tuple(x509.load_der_x509_certificate(c.chosen.dump())
                      for c in (signed["certificates"] or []) if c.name == "certificate")
        tsa = info["tsa"]
        return StampedToken(
            der=der,
            gen_time=info["gen_time"].native,
            serial=int(info["serial_number"].native),
            policy=str(info["policy"].native),
            hash_algorithm=str(imprint["hash_algorithm"]["algorithm"].native),
            imprint=bytes(imprint["hashed_message"].native),
            tsa_name=_general_name_text(tsa) if tsa else None,
            tst_info=bytes(encap["content"].contents),
            signer_info=signers[0],
            certificates=certs,
        )
    except SealFormatError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SealFormatError(Msg("seal.not_token", detail=str(exc))) from None


def _content_info(der: bytes) -> cms.ContentInfo:
    resp = tsp.TimeStampResp.load(der)
    try:
        status = resp["status"]["status"].native
    except (ValueError, TypeError, KeyError):
        status = None
    if status is None:
        # not a response: a token on its own (``openssl ts -reply -token_out``)
        token = cms.ContentInfo.load(der)
        if token["content_type"].native != "signed_data":
            raise SealFormatError(Msg("seal.neither"))
        return token
    if status not in ("granted", "granted_with_mods"):
        raise SealFormatError(Msg("seal.not_granted", status=str(status)))
    token = resp["time_stamp_token"]
    if not token or token.native is None:
        raise SealFormatError(Msg("seal.no_token"))
    return token


def _general_name_text(name: Any) -> str:
    value = name.native
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


@dataclass
class StampCheck:
    """The proof of one authority's stamp."""

    name: str
    gen_time: datetime | None = None
    tsa: str | None = None
    serial: int | None = None
    policy: str | None = None
    hash_algorithm: str | None = None
    #: where the chain was proved to end: the stored chain's root, and a trust store
    chain: str | None = None
    trusted_by: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check of this token passed."""
        return not self.problems

    @property
    def trusted(self) -> bool:
        """True when a trust store (not a root the package carries itself) proved the chain."""
        return self.ok and self.trusted_by is not None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"token": self.name, "ok": self.ok,
                "time": self.gen_time.isoformat() if self.gen_time else None,
                "tsa": self.tsa, "serial": self.serial, "policy": self.policy,
                "hash_algorithm": self.hash_algorithm, "chain": self.chain,
                "trusted_by": self.trusted_by, "trusted": self.trusted,
                "problems": list(self.problems)}


@dataclass
class SealReport:
    """The seal of one package: absent, proved, or broken (with what is wrong)."""

    stamps: list[StampCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: information about an unsealed package (e.g. the metadata says authorities were asked)
    notes: list[str] = field(default_factory=list)

    @property
    def sealed(self) -> bool:
        """True when the package carries at least one token."""
        return bool(self.stamps)

    @property
    def ok(self) -> bool:
        """True when every token present is proved (an unsealed package is not broken)."""
        return not self.problems and all(s.ok for s in self.stamps)

    @property
    def trusted(self) -> bool:
        """True when the package is sealed and a trust store proved every token's chain (a
        root the package carries itself proves nothing: anyone can make one)."""
        return self.sealed and self.ok and all(s.trusted for s in self.stamps)

    def summary(self) -> str:
        """One line for people: when it was sealed and by whom, or that it is unsealed."""
        if not self.stamps:
            return Msg("verify.unsealed", has_notes="yes" if self.notes else "no",
                       notes=list(self.notes))
        parts = [Msg("verify.stamp",
                     when=s.gen_time.strftime("%Y-%m-%d %H:%M:%S UTC") if s.gen_time else "?",
                     tsa=s.tsa or Msg("verify.unknown_authority"),
                     trusted=s.trusted_by or "none", proved="yes" if s.ok else "no")
                 for s in self.stamps]
        text = Msg("verify.sealed", stamps=parts)
        if self.ok and not self.trusted:
            return Msg("verify.with_note", text=NOT_TRUSTED, rest=text)
        return text

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"sealed": self.sealed, "ok": self.ok, "summary": self.summary(),
                "trusted": self.trusted, "stamps": [s.to_json() for s in self.stamps],
                "notes": list(self.notes), "problems": list(self.problems)}


def seal_files(bag_dir: Path) -> dict[int, dict[str, Path]]:
    """The seal's files by authority number and kind (``.tsr``, ``-chain.pem``, ``.json``)."""
    found: dict[int, dict[str, Path]] = {}
    folder = bag_dir / SIGNATURES_DIR
    if not folder.is_dir():
        return found
    for entry in sorted(folder.iterdir()):
        match = SEAL_FILE_RE.fullmatch(entry.name)
        if match and entry.is_file():
            found.setdefault(int(match["n"]), {})[match["kind"]] = entry
    return found


def load_trust_store(paths: Sequence[Path]) -> tuple[list[x509.Certificate], list[str]]:
    """Certificates of the given PEM files (a CA bundle), and problems reading them."""
    certs: list[x509.Certificate] = []
    problems: list[str] = []
    for path in paths:
        try:
            certs += x509.load_pem_x509_certificates(path.read_bytes())
        except OSError as exc:
            problems.append(Msg("seal.trust_unreadable", path=str(path),
                                detail=str(exc.strerror or exc)))
        except ValueError:
            problems.append(Msg("seal.trust_empty", path=str(path)))
    return certs, problems


@dataclass(frozen=True)
class PublishedSeal:
    """What the catalogue recorded when the package was published (to compare with)."""

    tagmanifest_sha256: str
    #: sealed | partial | failed | unsealed, as recorded
    status: str | None = None
    #: the tokens (DER TimeStampResp) by authority number
    tokens: dict[int, bytes] = field(default_factory=dict)
    #: ``package`` when the record was taken from the package itself (adopted from a folder),
    #: not made at publication; None: recorded at publication
    source: str | None = None
    #: the payload files' SHA-256 as the catalogue recorded them (path under ``data/``)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def from_package(self) -> bool:
        """True when the record is only what the package said when it was adopted."""
        return self.source == "package"

    def note(self) -> str | None:
        """What people should know about this record (None: recorded at publication)."""
        if self.from_package:
            return Msg("verify.adopted_note")
        return None

    @classmethod
    def from_json(cls, data: dict[str, Any], files: Any = None) -> PublishedSeal | None:
        """From the catalogue's seal record (``tagmanifest_sha256``, ``status``,
        ``timestamps`` with ``authority`` and ``token_der_base64``, ``source``) and its file
        list (``files_json``: ``path`` and ``sha256`` of each payload file); None without
        one."""
        digest = data.get("tagmanifest_sha256")
        if not isinstance(digest, str) or not digest:
            return None
        tokens: dict[int, bytes] = {}
        for stamp in data.get("timestamps") or []:
            if isinstance(stamp, dict) and stamp.get("token_der_base64"):
                try:
                    tokens[int(stamp["authority"])] = base64.b64decode(
                        stamp["token_der_base64"])
                except (KeyError, TypeError, ValueError):
                    continue
        status = data.get("status")
        source = data.get("source")
        known = {str(f["path"]): str(f["sha256"]).lower() for f in files or []
                 if isinstance(f, dict) and f.get("path") and f.get("sha256")}
        return cls(digest.lower(), str(status) if status else None, tokens,
                   str(source) if source else None, known)


def compare_published(bag_dir: Path, published: PublishedSeal) -> list[str]:
    """The package against what the catalogue recorded at publication: the tag manifest's
    SHA-256 and each token, byte for byte (no timestamp is consulted for this)."""
    problems: list[str] = []
    try:
        now = hashlib.sha256((bag_dir / STAMPED_NAME).read_bytes()).hexdigest()
    except OSError:
        now = None
    if now is not None and now != published.tagmanifest_sha256:
        problems.append(Msg("seal.pub.rehashed", file=STAMPED_NAME,
                            recorded=published.tagmanifest_sha256[:16], now=now[:16]))
        problems += _changed_payload(bag_dir, published)
    files = seal_files(bag_dir)
    if published.tokens and not (bag_dir / SIGNATURES_DIR).is_dir():
        problems.append(Msg("seal.pub.signatures_gone", folder=f"{SIGNATURES_DIR}/",
                            count=len(published.tokens)))
        return problems
    for number, token in sorted(published.tokens.items()):
        path = files.get(number, {}).get(".tsr")
        name = f"{SIGNATURES_DIR}/tsa-{number}.tsr"
        if path is None:
            problems.append(Msg("seal.pub.token_gone", name=name))
        elif path.read_bytes() != token:
            problems.append(Msg("seal.pub.token_replaced", name=name))
    for number in sorted(set(files) - set(published.tokens)):
        if ".tsr" in files[number]:
            problems.append(Msg("seal.pub.token_added",
                                name=f"{SIGNATURES_DIR}/tsa-{number}.tsr"))
    return problems


def _changed_payload(bag_dir: Path, published: PublishedSeal) -> list[str]:
    """Each payload file whose line in ``manifest-sha256.txt`` is not the SHA-256 the
    catalogue recorded (names what a consistent re-hash changed)."""
    if not published.files:
        return []
    try:
        lines = (bag_dir / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return []
    listed: dict[str, str] = {}
    for line in lines:
        digest, _, name = line.strip().partition(" ")
        if name.strip().startswith("data/"):
            listed[name.strip()[len("data/"):]] = digest.lower()
    problems: list[str] = []
    for name, digest in sorted(published.files.items()):
        now = listed.get(name)
        if now is None:
            problems.append(Msg("seal.pub.not_in_manifest", file=f"data/{name}",
                                manifest="manifest-sha256.txt"))
        elif now != digest:
            problems.append(Msg("seal.pub.file_changed", file=f"data/{name}",
                                recorded=digest[:16], now=now[:16]))
    return problems


def check_seal(bag_dir: Path, trust: Sequence[Path] = ()) -> SealReport:
    """Prove every token in ``bag_dir/signatures`` against the tag manifest as it is now."""
    report = SealReport()
    files = seal_files(bag_dir)
    if not files:
        return report
    anchors, problems = load_trust_store(trust)
    report.problems += problems
    stamped = bag_dir / STAMPED_NAME
    try:
        data: bytes | None = stamped.read_bytes()
    except OSError:
        data = None
        report.problems.append(Msg("seal.nothing_to_prove", file=STAMPED_NAME))
    for number, kinds in sorted(files.items()):
        prefix = f"{SIGNATURES_DIR}/tsa-{number}"
        # the packager writes an authority's files all three or none (a failed authority
        # leaves none): a lone .json, whatever it says, is a seal whose token was removed
        check = StampCheck(name=f"{prefix}.tsr")
        report.stamps.append(check)
        if ".tsr" not in kinds and ".json" in kinds:
            check.problems.append(Msg("seal.token_removed", file=f"{prefix}.json",
                                      token=f"{prefix}.tsr"))
        for kind in (".tsr", "-chain.pem", ".json"):
            if kind not in kinds:
                check.problems.append(Msg("seal.incomplete", file=f"{prefix}{kind}"))
        if ".tsr" not in kinds:
            continue
        try:
            der = kinds[".tsr"].read_bytes()
            token = read_token(der)
        except (OSError, SealFormatError) as exc:
            check.problems.append(Msg("check.in_file", file=f"{prefix}.tsr",
                                      problem=message_of(exc)))
            continue
        _describe(check, token)
        if data is not None and _check_imprint(check, token, data):
            # the token itself, by the packager's own check (granted, imprint, CMS signature,
            # ESS binding, time-stamping certificate valid at genTime)
            try:
                check_token(der, data)
            except TokenError as exc:
                check.problems.append(Msg("check.in_file", file=f"{prefix}.tsr",
                                          problem=message_of(exc)))
        chain = _stored_chain(check, kinds.get("-chain.pem"))
        signer = _signer(check, token, chain)
        if signer is not None:
            _check_chain(check, token, signer, chain, anchors, trust)
        if ".json" in kinds:
            _check_sidecar(check, token, kinds[".json"])
    return report


def _describe(check: StampCheck, token: StampedToken) -> None:
    check.gen_time = token.gen_time
    check.serial = token.serial
    check.policy = token.policy
    check.hash_algorithm = token.hash_algorithm
    check.tsa = token.tsa_name


def _check_imprint(check: StampCheck, token: StampedToken, data: bytes) -> bool:
    """Whether the token stamps ``data`` (the tag manifest as it is now)."""
    algorithm = _HASHES.get(token.hash_algorithm)
    if algorithm is None:
        check.problems.append(Msg("seal.digest_not_accepted", name=check.name,
                                  algorithm=token.hash_algorithm))
        return False
    digest = hashes.Hash(algorithm())
    digest.update(data)
    if digest.finalize() != token.imprint:
        when = token.gen_time.strftime("%Y-%m-%d %H:%M:%S UTC")
        check.problems.append(Msg("seal.changed_since", file=STAMPED_NAME, when=when,
                                  name=check.name))
        return False
    return True


def _stored_chain(check: StampCheck, path: Path | None) -> list[x509.Certificate]:
    if path is None:
        return []
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as exc:
        check.problems.append(Msg("seal.not_pem", file=f"{path.parent.name}/{path.name}",
                                  detail=str(exc)))
        return []


def _signer(check: StampCheck, token: StampedToken, chain: list[x509.Certificate]
            ) -> x509.Certificate | None:
    """The certificate the signer info names (from the token or the stored chain)."""
    sid = token.signer_info["sid"]
    for cert in (*token.certificates, *chain):
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (cert.serial_number == wanted["serial_number"].native
                    and cert.issuer.public_bytes() == wanted["issuer"].dump()):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return cert
    check.problems.append(Msg("seal.no_signer", name=check.name))
    return None


def _timestamping_eku(policy: Any, cert: x509.Certificate, eku: x509.ExtendedKeyUsage) -> None:
    # RFC 3161 §2.3: the TSA's certificate has exactly this one purpose
    if list(eku) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise ValueError("the certificate is not for time-stamping only (extendedKeyUsage)")


#: chain rules: the Web PKI's for CAs (their EKU left to the CA), and for the TSA's own
#: certificate only the critical time-stamping EKU
_EE_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.ExtendedKeyUsage, Criticality.CRITICAL, _timestamping_eku)
_CA_POLICY = ExtensionPolicy.webpki_defaults_ca().may_be_present(
    x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)


def _chain_to(anchors: list[x509.Certificate], signer: x509.Certificate,
              pool: list[x509.Certificate], when: datetime) -> list[x509.Certificate]:
    verifier = (PolicyBuilder().store(Store(anchors)).time(when)
                .extension_policies(ca_policy=_CA_POLICY, ee_policy=_EE_POLICY)
                .build_client_verifier())
    return list(verifier.verify(signer, pool).chain)


def _check_chain(check: StampCheck, token: StampedToken, signer: x509.Certificate,
                 chain: list[x509.Certificate], anchors: list[x509.Certificate],
                 trust: Sequence[Path]) -> None:
    pool = [c for c in (*token.certificates, *chain) if c != signer]
    roots = [c for c in chain if c.issuer == c.subject and c != signer]
    subject = signer.subject.rfc4514_string()
    check.tsa = subject
    if chain and not roots and not anchors:
        # most real authorities send no root: the trust store has it
        check.problems.append(Msg("seal.no_root", name=check.name))
    elif roots:
        try:
            proved = _chain_to(roots, signer, pool, token.gen_time)
        except (x509.verification.VerificationError, ValueError) as exc:
            check.problems.append(Msg("seal.not_chained", name=check.name, subject=subject,
                                      detail=str(exc)))
        else:
            check.chain = " > ".join(c.subject.rfc4514_string() for c in proved)
    if anchors:
        names = ", ".join(str(p) for p in trust) or Msg("seal.the_trust_store")
        try:
            proved = _chain_to(anchors, signer, pool, token.gen_time)
        except (x509.verification.VerificationError, ValueError) as exc:
            check.problems.append(Msg("seal.not_trusted_by", name=check.name, subject=subject,
                                      names=names, detail=str(exc)))
        else:
            check.trusted_by = Msg("seal.trusted_in",
                                   subject=proved[-1].subject.rfc4514_string(), names=names)


def _check_sidecar(check: StampCheck, token: StampedToken, path: Path) -> None:
    """The ``.json`` is for people; it must not say something the token does not."""
    where = f"{SIGNATURES_DIR}/{path.name}"
    try:
        said = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        check.problems.append(Msg("verify.problem.unreadable", file=where, detail=str(exc)))
        return
    if not isinstance(said, dict):
        check.problems.append(Msg("verify.problem.not_object", file=where))
        return
    flat = {re.sub(r"[^a-z0-9]", "", str(k).lower()): v for k, v in said.items()}
    gen = flat.get("gentime") or flat.get("time")
    if isinstance(gen, str):
        try:
            stated = datetime.fromisoformat(gen.replace("Z", "+00:00"))
        except ValueError:
            stated = None
        if stated is None or stated != token.gen_time:
            check.problems.append(Msg("seal.sidecar_says", where=where, field="genTime",
                                      says=gen, token=token.gen_time.isoformat()))
    serial = flat.get("serial") or flat.get("serialnumber")
    if serial is not None and str(serial) not in (str(token.serial), hex(token.serial),
                                                  f"{token.serial:x}"):
        check.problems.append(Msg("seal.sidecar_says", where=where, field="serial",
                                  says=str(serial), token=str(token.serial)))
    policy = flat.get("policy")
    if isinstance(policy, str) and policy != token.policy:
        check.problems.append(Msg("seal.sidecar_says", where=where, field="policy",
                                  says=policy, token=token.policy))
    token_sha = flat.get("tokensha256")
    if isinstance(token_sha, str) and token_sha.lower() != hashlib.sha256(token.der).hexdigest():
        check.problems.append(Msg("seal.sidecar_token_sha", where=where, name=check.name))
    hashed = flat.get("hashedmessage")
    if isinstance(hashed, str) and hashed.lower() != token.imprint.hex():
        check.problems.append(Msg("seal.sidecar_hashed", where=where, says=hashed[:16],
                                  token=token.imprint.hex()[:16]))
    algo = flat.get("hashalgorithm") or flat.get("hash")
    if isinstance(algo, str) and algo.lower().replace("-", "") != token.hash_algorithm:
        check.problems.append(Msg("seal.sidecar_says", where=where, field="hash_algorithm",
                                  says=algo, token=token.hash_algorithm))
