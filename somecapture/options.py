"""Every capture option in one place: name (with unit), default and a one-line doc.

Options are validated once, at the edge (``CaptureOptions(...)`` raises :class:`OptionsError`),
and recorded verbatim in provenance, minus secrets (see :meth:`CaptureOptions.for_provenance`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from somecapture.errors import OptionsError
from somecapture.messages import Msg
from somecapture.profiles import check_profile_name
from somecapture.redact import MARKER, is_secret_param
from somecapture.resources import site_names

MIB = 1024 * 1024

ArkivmeldingVariant = Literal["eformidling", "fiks", "none"]
_SAKSNUMMER_RE = re.compile(r"\s*(\d{4})\s*/\s*(\d{1,9})\s*")
_ACCESS_CODE_FROM_HJEMMEL_RE = re.compile(r"§\s*(\d{1,3})\b")


@dataclass(frozen=True)
class RecordOptions:
    """Metadata for the records system (Noark 5): what the archivist says about a capture.

    Agency-wide defaults come from the config file (:mod:`somecapture.config`); per-capture
    values from the command line, the app or a batch list row.
    """

    #: registration title; default ``<platform>: <author> – <first words>``
    title: str | None = None
    #: the case: a saksnummer ``2024/123`` or the records system's own case reference
    case: str | None = None
    #: who captured and archived it (``arkivertAv``); default from config, else the OS user
    archivist: str | None = None
    #: register as arkivnotat (archived, not journalført) instead of a journalpost
    arkivnotat: bool = False
    #: legal basis for screening (skjermingshjemmel), e.g. ``Offl. § 13 jf. fvl. § 13``
    screening: str | None = None
    #: access code (tilgangsrestriksjon); default: the § number in ``screening``
    access_code: str | None = None
    #: ``I`` (incoming) or ``U`` (outgoing); default: ``U`` for the agency's own accounts
    journalposttype: str | None = None
    #: which arkivmelding to write: eFormidling (default), Fiks Arkiv, or none
    arkivmelding: ArkivmeldingVariant = "eformidling"
    #: the archiving organisation (name, nine-digit number) and arkivdel for new cases
    organisation: str | None = None
    organisation_number: str | None = None
    arkivdel: str | None = None
    #: the agency's own accounts per platform (adapter name → handles), for journalposttype U
    own_accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: a free note from the archivist (kept in the metadata)
    note: str | None = None
    #: make the screened variant (private persons' identities masked) when the thread has
    #: persons other than the agency's own accounts (``--no-screened-variant`` turns it off)
    screened_variant: bool = True
    #: in the screened variant, withhold private persons' texts too (``--screen-text``)
    screen_text: bool = False
    #: the agency's målform, the language of the package's own texts (the PDF's capture
    #: sheet and text appendix, the arkivmelding's generated titles): ``nb`` (bokmål) or
    #: ``nn`` (nynorsk); not the archivist's screen language
    maalform: str = "nb"

    def __post_init__(self) -> None:
        # every problem at once (the archivist fixes them in one go)
        problems: list[Msg] = []
        if self.arkivmelding not in ("eformidling", "fiks", "none"):
            problems.append(Msg("option.arkivmelding", option="arkivmelding",
                                value=self.arkivmelding))
        if self.journalposttype is not None and self.journalposttype not in ("I", "U"):
            problems.append(Msg("option.journalposttype", option="journalposttype",
                                value=self.journalposttype))
        if self.arkivnotat and self.journalposttype is not None:
            problems.append(Msg("option.arkivnotat_journalposttype"))
        if self.access_code is not None and not self.screening:
            problems.append(Msg("option.access_code_needs_screening"))
        if self.screening is not None:
            if not self.screening.strip():
                problems.append(Msg("option.screening_empty"))
            elif self.effective_access_code() is None:
                problems.append(Msg("option.access_code_unknown", screening=self.screening))
        if self.organisation_number is not None and not re.fullmatch(
            r"\d{9}", self.organisation_number
        ):
            problems.append(Msg("option.org_number", value=self.organisation_number))
        if self.case is not None and not self.case.strip():
            problems.append(Msg("option.case_empty"))
        if self.maalform not in MAALFORMER:
            problems.append(Msg("option.maalform", option="maalform", value=self.maalform))
        OptionsError.raise_if_any(problems)

    def effective_access_code(self) -> str | None:
        """The access code given, or the paragraph number in the legal basis."""
        if self.access_code:
            return self.access_code.strip()
        if self.screening:
            match = _ACCESS_CODE_FROM_HJEMMEL_RE.search(self.screening)
            if match:
                return match.group(1)
        return None

    def case_is_saksnummer(self) -> bool:
        """True when ``case`` has the saksnummer form ``YYYY/N``."""
        return bool(self.case and _SAKSNUMMER_RE.fullmatch(self.case))

    def is_own_account(self, platform: str, handle: str | None) -> bool:
        """Whether ``handle`` is one of the agency's accounts on ``platform``."""
        if not handle:
            return False
        wanted = handle.strip().lstrip("@").lower()
        for key in (platform.lower(), "*"):
            for own in self.own_accounts.get(key, ()):
                if own.strip().lstrip("@").lower() == wanted:
                    return True
        return False

    def merged(self, **changes: Any) -> RecordOptions:
        """A copy with the non-None ``changes`` applied (validated again)."""
        return dataclasses.replace(
            self, **{k: v for k, v in changes.items() if v is not None}
        )

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data for the metadata file."""
        data = dataclasses.asdict(self)
        data["own_accounts"] = {k: list(v) for k, v in self.own_accounts.items()}
        return data


#: the målformer a package's own texts can be written in
MAALFORMER = ("nb", "nn")

#: the allowed range of each numeric capture option: (lowest, highest, unit)
OPTION_RANGES: dict[str, tuple[float, float, str]] = {
    "viewport_width_px": (320, 4096, "px"),
    "viewport_height_px": (240, 4096, "px"),
    "load_timeout_s": (1, 600, "s"),
    "settle_timeout_s": (0, 600, "s"),
    "network_idle_ms": (50, 60_000, "ms"),
    "expand_timeout_s": (0, 3600, "s"),
    "expand_max_actions": (0, 100_000, ""),
    "lazy_media_timeout_s": (0, 600, "s"),
    "screenshot_timeout_s": (1, 1800, "s"),
    "capture_timeout_s": (5, 7200, "s"),
    "timestamp_timeout_s": (1, 120, "s"),
}


@dataclass(frozen=True)
class CaptureOptions:
    """Options for one capture (or every capture of a batch)."""

    #: where packages are published; ``None`` = ``<Documents>/somecapture``
    out_dir: Path | None = None
    #: explicit browser executable; ``None`` = discover (see engine.browser)
    browser_path: str | None = None
    #: run the browser without a window (the normal case; ``False`` only for debugging)
    headless: bool = True
    #: proxy URL for all browser traffic, e.g. ``http://user:pw@proxy.agency.no:8080``
    proxy: str | None = None
    #: accept invalid TLS certificates (agency TLS-inspection proxies)
    ignore_https_errors: bool = False
    #: viewport size in CSS pixels; the screenshot is this wide
    viewport_width_px: int = 1280
    viewport_height_px: int = 900
    #: locale and time zone the page sees (platforms localise labels and dates)
    locale: str = "nb-NO"
    timezone_id: str = "Europe/Oslo"
    #: budget for the main document to load (``load`` event)
    load_timeout_s: float = 45.0
    #: budget for the page to go quiet after load
    settle_timeout_s: float = 10.0
    #: how long the network must be idle to count as settled
    network_idle_ms: int = 800
    #: budget for thread expansion (scrolling, "more replies" clicks)
    expand_timeout_s: float = 90.0
    #: most "load more" clicks and scroll rounds before expansion stops (PARTIAL)
    expand_max_actions: int = 400
    #: budget for waiting for lazy images after expansion
    lazy_media_timeout_s: float = 10.0
    #: budget for taking the full-page screenshot
    screenshot_timeout_s: float = 120.0
    #: overall budget for one capture, all steps included
    capture_timeout_s: float = 600.0
    #: most response bytes recorded per capture; beyond it bodies are truncated (PARTIAL)
    max_capture_bytes: int = 1024 * MIB
    #: bodies larger than this are fetched one at a time and decoded to a spool file in
    #: slices (``provenance.network.streamed_bodies`` counts them), not held in memory
    stream_body_threshold_bytes: int = 8 * MIB
    #: let the page reach loopback/private/link-local addresses (intranet pages, fixtures);
    #: off by default so a captured page cannot reach the archivist's own network
    allow_private_network: bool = False
    #: capture logged in with this login profile (``somecapture login NAME``); None = public
    profile: str | None = None
    #: with a profile: also capture the logged-out view into the same package
    also_public: bool = False
    #: keep session cookies and tokens in the WARC (default off: they are redacted). Only for
    #: the rare case that needs them; recorded in provenance.
    keep_credentials: bool = False
    #: force a site adapter by name (``mastodon``, ``generic``…); ``None`` = choose by URL/page
    site: str | None = None
    #: metadata for the records system (title, case, archivist, …)
    record: RecordOptions = field(default_factory=RecordOptions)
    #: the SQLite catalogue of captures; ``None`` = the user data directory's catalogue
    catalog_path: Path | None = None
    #: RFC 3161 time-stamp authorities that seal each package (the agency's, in order); the
    #: address is trusted configuration (see :mod:`somecapture.package.seal`). Empty: unsealed
    timestamp_urls: tuple[str, ...] = ()
    #: False: no time stamp for these captures, even with authorities configured
    timestamp: bool = True
    #: the longest one time-stamp authority may take to answer
    timestamp_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        # every problem at once: a command line with three bad options says so in one go
        problems: list[str] = []
        for name, (low, high, unit) in OPTION_RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                problems.append(Msg("option.range", option=name, value=value, low=low,
                                    high=high, unit=unit))
        for name, low, shown in (("max_capture_bytes", MIB, "1 MiB"),
                                 ("stream_body_threshold_bytes", 64 * 1024, "64 KiB")):
            if getattr(self, name) < low:
                problems.append(Msg("option.at_least", option=name, value=getattr(self, name),
                                    low=shown))
        if self.profile is not None:
            try:
                check_profile_name(self.profile)
            except OptionsError as exc:
                problems.extend(exc.problems)
        if self.also_public and self.profile is None:
            problems.append(Msg("option.also_public_needs_profile"))
        if self.site is not None:
            if self.site not in site_names():
                problems.append(Msg("option.unknown_site", value=self.site,
                                    known=", ".join(site_names())))
        object.__setattr__(self, "timestamp_urls", tuple(self.timestamp_urls))
        for tsa in self.timestamp_urls:
            try:
                check_timestamp_url(tsa)
            except OptionsError as exc:
                problems.extend(exc.problems)
        if self.proxy is not None:
            parts = urlsplit(self.proxy)
            try:
                port_ok = parts.port is None or 1 <= parts.port <= 65535
            except ValueError:  # not a number, or out of range
                port_ok = False
            if parts.scheme not in ("http", "https", "socks5") or not parts.hostname \
                    or not port_ok:
                problems.append(Msg("option.proxy", option="proxy",
                                    proxy=redact_url_credentials(self.proxy)))
        OptionsError.raise_if_any(problems)

    def with_changes(self, **changes: Any) -> CaptureOptions:
        """A copy with some options changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def for_provenance(self) -> dict[str, Any]:
        """All options as plain JSON data with secrets removed (proxy credentials)."""
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "proxy" and value:
                value = redact_url_credentials(value)
            if f.name == "timestamp_urls":
                value = [redact_url_credentials(u) for u in value]
            if isinstance(value, Path):
                value = str(value)
            if isinstance(value, RecordOptions):
                value = value.to_json()
            data[f.name] = value
        return data


def check_timestamp_url(url: str) -> None:
    """Raise :class:`OptionsError` unless ``url`` is an http(s) address of a time-stamp
    authority."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or 1 <= parts.port <= 65535
    except ValueError:
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise OptionsError(Msg("option.tsa", url=redact_url_credentials(url)))


def redact_url_credentials(url: str) -> str:
    """``url`` as it may be stored or shown: ``http://user:pw@host:1/`` → ``http://***@host:1/``,
    and the value of every credential-like query parameter (``?apikey=…``, ``token``, ``sig``:
    :func:`somecapture.redact.is_secret_param`) replaced by the redaction marker; other URLs
    unchanged. Used for every proxy and time-stamp authority address that is recorded
    (metadata, provenance, catalogue, signatures, warnings) or shown."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.username is not None or parts.password is not None:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = _redact_query(parts.query)
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def safe_tsa_url(url: str) -> str:
    """A time-stamp authority's address as it may be stored or shown (no user, password or
    credential-like query parameter): :func:`redact_url_credentials`."""
    return redact_url_credentials(url)


def url_has_credentials(url: str) -> bool:
    """Whether ``url`` carries a user, a password or a credential-like query parameter."""
    return redact_url_credentials(url) != url


def _redact_query(query: str) -> str:
    """``query`` with the values of credential-like parameters replaced, the rest verbatim."""
    if not query:
        return query
    out = []
    for part in re.split(r"([&;])", query):
        name, eq, value = part.partition("=")
        if eq and value and is_secret_param(unquote_plus(name), unquote_plus(value)):
            part = f"{name}={MARKER}"
        out.append(part)
    return "".join(out)
