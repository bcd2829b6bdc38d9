"""Checks of the package's documents by independent validators, shared by the packager (before
publishing) and ``somecapture verify`` (any time later)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema
from lxml import etree

from somecapture.messages import Msg, message_of
from somecapture.package import noark
from somecapture.package.layout import (
    ARKIVMELDING_NAME,
    METADATA_NAME,
    METADATA_SCHEMA_NAME,
    PDF_NAME,
    SCREENED_PDF_NAME,
)
from somecapture.package.pdfa import check_pdfa_structure
from somecapture.resources import resource_path

_VARIANT_BY_NAMESPACE: dict[str, noark.Variant] = {
    "http://www.arkivverket.no/standarder/noark5/arkivmelding": "eformidling",
    "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1":
        "fiks",
}


def metadata_schema_path() -> Path:
    """The JSON Schema shipped in every package."""
    return resource_path("schemas", "capture-metadata", METADATA_SCHEMA_NAME)


@cache
def _metadata_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(metadata_schema_path().read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def metadata_problems(data: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Schema violations of capture metadata, each with its JSON path (empty when valid)."""
    if schema is None:
        validator = _metadata_validator()
    else:
        cls = jsonschema.validators.validator_for(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    problems: list[str] = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        # the place as a JSON Pointer (RFC 6901: "/thread/replies/0"): the same in every
        # language
        where = ("".join(f"/{p}" for p in err.absolute_path) or Msg("check.top_level"))
        problems.append(Msg("check.at", file=f"data/{METADATA_NAME}", where=where,
                            detail=schema_problem(err)))
    return problems


#: the schema rules a finding is worded for in the reader's language (the others keep the
#: validator's own English words, with the rule's name)
_LIMITS = {"minimum": "at_least", "exclusiveMinimum": "above", "maximum": "at_most",
           "exclusiveMaximum": "below", "minLength": "min_length", "maxLength": "max_length",
           "minItems": "min_items", "maxItems": "max_items"}


def _value(value: Any) -> str:
    """A value as a finding quotes it (JSON, cut short)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def schema_problem(err: jsonschema.ValidationError) -> Msg:
    """A schema finding as a catalogue message: what the rule asks and what was found."""
    rule, expected = str(err.validator), cast(Any, err.validator_value)
    if rule == "required":
        missing = re.match(r"^'(.*)' is a required property$", err.message)
        return Msg("schema.required", name=missing[1] if missing else str(expected))
    if rule == "additionalProperties":
        known = set((err.schema or {}).get("properties") or {}) if isinstance(
            err.schema, dict) else set()
        extra = sorted(str(k) for k in err.instance if k not in known) if isinstance(
            err.instance, dict) else []
        return Msg("schema.extra", names=", ".join(extra) or "?")
    if rule == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return Msg("schema.type", value=_value(err.instance),
                   expected=" | ".join(str(k) for k in kinds))
    if rule == "enum":
        return Msg("schema.enum", value=_value(err.instance),
                   allowed=", ".join(_value(v) for v in expected or []))
    if rule == "const":
        return Msg("schema.const", value=_value(err.instance), expected=_value(expected))
    if rule in _LIMITS:
        return Msg("schema.limit", value=_value(err.instance), rule=_LIMITS[rule],
                   limit=str(expected))
    if rule == "format":
        return Msg("schema.format", value=_value(err.instance), format=str(expected))
    if rule == "pattern":
        return Msg("schema.pattern", value=_value(err.instance), pattern=str(expected))
    # the validator's own words (English), naming the rule
    return Msg("schema.other", rule=rule, detail=err.message[:300])


def arkivmelding_variant(xml: bytes) -> noark.Variant | None:
    """The arkivmelding dialect from the root element's namespace."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    return _VARIANT_BY_NAMESPACE.get(etree.QName(root).namespace or "")


def check_documents(data_dir: Path) -> list[str]:
    """Metadata against its schema, arkivmelding against its XSD, the PDF's PDF/A structure."""
    problems: list[str] = []
    meta_path = data_dir / METADATA_NAME
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(Msg("check.not_json", file=f"data/{METADATA_NAME}",
                                detail=str(exc)))
        else:
            shipped = data_dir / METADATA_SCHEMA_NAME
            schema = None
            if shipped.is_file():
                try:
                    schema = json.loads(shipped.read_text(encoding="utf-8"))
                except ValueError as exc:
                    problems.append(Msg("check.not_json", file=f"data/{METADATA_SCHEMA_NAME}",
                                        detail=str(exc)))
            problems += metadata_problems(meta, schema)
    xml_path = data_dir / ARKIVMELDING_NAME
    if xml_path.is_file():
        xml = xml_path.read_bytes()
        variant = arkivmelding_variant(xml)
        if variant is None:
            problems.append(Msg("check.not_arkivmelding", file=f"data/{ARKIVMELDING_NAME}"))
        else:
            try:
                noark.validate_arkivmelding(xml, variant)
            except noark.ArkivmeldingInvalidError as exc:
                problems.append(Msg("check.in_file", file=f"data/{ARKIVMELDING_NAME}",
                                    problem=message_of(exc)))
    for name in (PDF_NAME, SCREENED_PDF_NAME):
        pdf_path = data_dir / name
        if pdf_path.is_file():
            problems += [Msg("check.in_file", file=f"data/{name}", problem=p)
                         for p in check_pdfa_structure(pdf_path)]
    return problems
