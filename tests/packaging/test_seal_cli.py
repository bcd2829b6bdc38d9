"""The seal's settings on the command line and in the config file: ``[timestamp] urls``,
``--timestamp-url`` (repeatable), ``--no-timestamp``, and the note said before capturing."""

from __future__ import annotations

from pathlib import Path

import pytest

from somecapture.cli.console import Console
from somecapture.cli.main import _seal_note, build_parser, options_from_args
from somecapture.config import load_config
from somecapture.errors import OptionsError
from somecapture.options import CaptureOptions


def test_config_and_command_line(tmp_path: Path) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text('[timestamp]\nurls = ["http://a.example/tsa", "https://b.example/"]\n',
                        encoding="utf-8")
    assert load_config(cfg_file).timestamp_urls == ("http://a.example/tsa",
                                                    "https://b.example/")
    parser = build_parser()

    def options(*argv: str) -> CaptureOptions:
        return options_from_args(parser.parse_args(["capture", "http://x.example/",
                                                    "--config", str(cfg_file), *argv]))

    assert options().timestamp_urls == ("http://a.example/tsa", "https://b.example/")
    assert options("--timestamp-url", "http://c.example/", "--timestamp-url",
                   "http://d.example/").timestamp_urls == ("http://c.example/",
                                                           "http://d.example/")
    assert options("--no-timestamp").timestamp is False
    with pytest.raises(OptionsError, match="contradict"):
        options("--no-timestamp", "--timestamp-url", "http://c.example/")
    with pytest.raises(OptionsError, match="not an http"):
        options("--timestamp-url", "ftp://c.example/")
    cfg_file.write_text('[timestamp]\nurls = ["file:///etc/passwd"]\n', encoding="utf-8")
    with pytest.raises(OptionsError, match=r"\[timestamp\]"):
        load_config(cfg_file)
    # credentials in an authority's address stay out of the provenance
    prov = CaptureOptions(timestamp_urls=("https://u:secret@tsa.example/",)).for_provenance()
    assert prov["timestamp_urls"] == ["https://***@tsa.example/"]


def test_unsealed_note_is_said_once_before_capturing(
        capsys: pytest.CaptureFixture[str]) -> None:
    _seal_note(CaptureOptions(), Console())
    err = capsys.readouterr().err
    assert err.count("will not be sealed") == 1 and "no time-stamp authority" in err
    _seal_note(CaptureOptions(timestamp_urls=("http://tsa.example/",)), Console())
    assert capsys.readouterr().err == ""
