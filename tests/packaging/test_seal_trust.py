"""The agency's trust store in the config file (issue 17): ``[timestamp] trust`` is what
``verify`` proves each seal's chain against when ``--trust`` is not given, what ``somecapture
config`` shows, and a trust file that cannot be used is an error naming the key and the fix.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.config import AgencyConfig, load_config
from somecapture.errors import OptionsError
from somecapture.gui.config_writer import config_text, save_config
from somecapture.models import CaptureStatus
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.fixtures.tsa import LocalTSA


def _config(folder: Path, trust: str) -> Path:
    path = folder / "config.toml"
    path.write_text(f"[timestamp]\ntrust = {trust}\n", encoding="utf-8")
    return path


def test_config_reads_writes_and_checks_the_trust_store(tmp_path: Path) -> None:
    roots = tmp_path / "roots.pem"
    roots.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    cfg = load_config(_config(tmp_path, '"roots.pem"'))
    # relative to the config file's folder
    assert cfg.timestamp_trust == (tmp_path / "roots.pem",)
    assert cfg.trust_files() == (roots,)
    cfg = load_config(_config(tmp_path, f'["{roots}", "~/other.pem"]'))
    assert cfg.timestamp_trust == (roots, Path("~/other.pem").expanduser())
    # the app's writer round-trips one file and a list
    for trust in ((roots,), (roots, tmp_path / "b.pem")):
        written = save_config(AgencyConfig(timestamp_urls=("http://tsa.example/",),
                                           timestamp_trust=trust), tmp_path / "w.toml")
        assert written.timestamp_trust == trust
        assert load_config(tmp_path / "w.toml").timestamp_trust == trust
    assert "[timestamp]" in config_text(AgencyConfig(timestamp_trust=(roots,)))
    with pytest.raises(OptionsError, match=r"\[timestamp\] trust must be"):
        load_config(_config(tmp_path, "42"))


def test_a_trust_file_that_cannot_be_used_names_the_key(tmp_path: Path) -> None:
    cfg_file = _config(tmp_path, '"gone.pem"')
    with pytest.raises(OptionsError) as err:
        load_config(cfg_file).trust_files()
    text = str(err.value)
    assert "[timestamp] trust" in text and str(tmp_path / "gone.pem") in text
    assert "does not exist" in text and str(cfg_file) in text and "--trust" in text
    (tmp_path / "gone.pem").write_text("not a certificate")
    with pytest.raises(OptionsError, match="holds no PEM certificate"):
        load_config(cfg_file).trust_files()
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        (tmp_path / "gone.pem").chmod(0)
        with pytest.raises(OptionsError, match="cannot be read"):
            load_config(cfg_file).trust_files()


def test_config_command_shows_the_trust_store(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    cfg_file = _config(tmp_path, '"roots.pem"')
    assert main(["config", "--config", str(cfg_file)]) == ExitStatus.OK
    out = capsys.readouterr().out
    assert f"trusted time-stamp roots: {tmp_path / 'roots.pem'} (missing)" in out


# -- verify with the configured trust store (a real sealed capture) -----------------------------


@pytest.fixture(scope="module")
def tsas() -> Iterator[tuple[LocalTSA, LocalTSA]]:
    with LocalTSA(name="Trusted TSA") as one, LocalTSA(name="Other TSA") as other:
        yield one, other


@pytest.fixture(scope="module")
def sealed(site: fx.FixtureSite, tsas: tuple[LocalTSA, LocalTSA],
           tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trust-sealed")
    result = run_capture(site.url("/post/1"), out, timestamp_urls=(tsas[0].url,),
                         catalog_path=out.parent / "trust.sqlite")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    return result.package


@pytest.mark.browser
def test_verify_uses_the_configured_trust_store(
        sealed: Path, tsas: tuple[LocalTSA, LocalTSA], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    trusted, other = tsas
    (tmp_path / "good").mkdir()
    good = _config(tmp_path / "good", f'"{trusted.ca_pem}"')
    assert main(["verify", str(sealed), "--config", str(good)]) == ExitStatus.OK
    out = capsys.readouterr().out
    assert "trusted by" in out and str(trusted.ca_pem) in out, out
    # a token from an authority the trust store does not hold fails, naming the store
    (tmp_path / "bad").mkdir()
    bad = _config(tmp_path / "bad", f'"{other.ca_pem}"')
    assert main(["verify", str(sealed), "--config", str(bad)]) == ExitStatus.VERIFY_FAILED
    out = capsys.readouterr().out
    assert f"is not trusted by {other.ca_pem}" in out, out
    # --trust given wins over the config
    assert main(["verify", str(sealed), "--config", str(bad), "--trust",
                 str(trusted.ca_pem)]) == ExitStatus.OK
    capsys.readouterr()
    # a configured trust store that is gone: an error naming the key, nothing verified
    (tmp_path / "gone").mkdir()
    gone = _config(tmp_path / "gone", '"roots.pem"')
    assert main(["verify", str(sealed), "--config", str(gone)]) == ExitStatus.USAGE
    captured = capsys.readouterr()
    assert "[timestamp] trust" in captured.err and "does not exist" in captured.err
    assert "OK" not in captured.out


def test_an_export_outside_a_capture_is_stamped_by_the_agencys_authorities() -> None:
    """The app's and the CLI's WACZ export take the authorities and the proxy from the
    agency's config; addresses given on a command line win; --no-timestamp says why."""
    from somecapture.package.seal import SealConfig

    cfg = AgencyConfig(timestamp_urls=("http://127.0.0.1:9/tsa",),
                       proxy="http://proxy.example:3128", ignore_https_errors=True)
    seal = SealConfig.for_agency(cfg)
    assert (seal.urls, seal.proxy, seal.ignore_https_errors, seal.active) == (
        ("http://127.0.0.1:9/tsa",), "http://proxy.example:3128", True, True)
    given = SealConfig.for_agency(cfg, ("http://127.0.0.1:10/other",))
    assert given.urls == ("http://127.0.0.1:10/other",)
    off = SealConfig.for_agency(cfg, disabled_reason="turned off (--no-timestamp)")
    assert not off.active and off.unsealed_reason() == "turned off (--no-timestamp)"
