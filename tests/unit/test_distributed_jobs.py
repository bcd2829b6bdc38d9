"""Distributed batches without a broker: what a job carries (no secrets), the --queue
address, exactly-once publication through claims, and the command line's answers to bad
queue addresses."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.distributed.address import parse_queue_url
from somecapture.distributed.jobs import (
    SHIPPED,
    Job,
    item_key,
    job_for,
    options_for,
    result_from_package,
    result_from_summary,
    result_summary,
)
from somecapture.errors import (
    AlreadyPublishedError,
    OptionsError,
    PackageError,
    QueueAddressError,
    QueueUnreachableError,
)
from somecapture.messages import render
from somecapture.models import Artifact, CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions, RecordOptions
from somecapture.package import bag, claim
from somecapture.package.machine import machine_id

SECRETS = ("s3cr3t-proxy-pw", "proxyuser", "tsa-pass", "tsa-api-key-123")


def _options(tmp_path: Path) -> CaptureOptions:
    return CaptureOptions(
        out_dir=tmp_path / "submitter-out", browser_path="/opt/submitter/chrome",
        catalog_path=tmp_path / "submitter.sqlite",
        proxy="http://proxyuser:s3cr3t-proxy-pw@proxy.agency.no:8080",
        timestamp_urls=("http://tsa.example.no/tsa",
                        "https://stamper:tsa-pass@tsa2.example.no/ts",
                        "https://tsa3.example.no/ts?apikey=tsa-api-key-123"),
        profile="facebook-oslokommune", allow_private_network=True, ignore_https_errors=True,
        viewport_width_px=1440, record=RecordOptions(organisation="Oslo kommune",
                                                     own_accounts={"x": ("@oslo",)}))


def test_a_job_carries_no_secret_and_no_local_path(tmp_path: Path) -> None:
    options = _options(tmp_path)
    job = job_for("b1", 3, "https://x.com/oslo/status/1", {"title": "Tittel", "case": "2024/1"},
                  options, retries=2, retry_backoff_s=5.0)
    text = json.dumps(job.to_json())
    for secret in SECRETS:
        assert secret not in text, secret
    for local in ("submitter-out", "submitter.sqlite", "/opt/submitter/chrome",
                  "proxy.agency.no"):
        assert local not in text, local
    data = job.to_json()
    assert set(data["capture"]) == set(SHIPPED)
    assert not {"proxy", "out_dir", "browser_path", "catalog_path", "headless"} & set(SHIPPED)
    # the profile travels by name only; the credential-free authority is shipped, the others
    # are withheld and the worker uses its own config's
    assert data["profile"] == "facebook-oslokommune"
    assert data["timestamp_urls"] == ["http://tsa.example.no/tsa"]
    assert data["timestamp_urls_withheld"] is True
    assert data["record"]["title"] == "Tittel" and data["record"]["case"] == "2024/1"
    assert data["key"] == item_key("b1", 3, "https://x.com/oslo/status/1")


def test_a_worker_captures_with_the_jobs_options_over_its_own(tmp_path: Path) -> None:
    job = Job.from_json(json.loads(json.dumps(job_for(
        "b1", 3, "https://example.no/p", {}, _options(tmp_path), 1, 2.0).to_json())))
    worker = CaptureOptions(out_dir=tmp_path / "shared", browser_path="/usr/bin/chromium",
                            proxy="http://worker-proxy:3128",
                            timestamp_urls=("http://worker-tsa.example.no/",))
    options = options_for(job, worker)
    assert options.out_dir == tmp_path / "shared"
    assert options.browser_path == "/usr/bin/chromium"
    assert options.proxy == "http://worker-proxy:3128"
    assert options.catalog_path is None
    assert options.viewport_width_px == 1440 and options.ignore_https_errors
    assert options.profile == "facebook-oslokommune"
    # an authority was withheld: the worker's own authorities seal the package
    assert options.timestamp_urls == ("http://worker-tsa.example.no/",)
    assert options.record.organisation == "Oslo kommune"
    assert options.record.own_accounts == {"x": ("@oslo",)}


def test_a_job_of_another_version_or_with_unknown_options_is_refused() -> None:
    with pytest.raises(OptionsError, match="same somecapture version"):
        Job.from_json({"v": 99, "batch_id": "b", "line": 1})
    good = job_for("b", 1, "https://example.no/", {}, CaptureOptions(), 0, 1.0).to_json()
    good["capture"]["teleport"] = True
    with pytest.raises(OptionsError, match="teleport"):
        Job.from_json(good)


def test_the_result_summary_carries_what_the_catalogue_records(tmp_path: Path) -> None:
    result = CaptureResult(url="https://example.no/p", capture_id="c1",
                           status=CaptureStatus.PARTIAL)
    result.package = tmp_path / "worker-view" / "20260101T000000Z-example-no-p"
    result.artifacts = [Artifact("capture.warc", "ab" * 32, 10, "application/warc")]
    result.warnings = ["w"]
    result.thread = {"platform": "x", "root": {"author": "A", "handle": "@a", "text": "long"},
                     "replies": [{"text": "a reply"}] * 50}
    result.provenance = {"started_at": "2026-01-01T00:00:00Z", "seal": {"status": "unsealed"},
                         "network": {"big": "x" * 1000}}
    result.registration = {"title": "T"}
    summary = json.loads(json.dumps(result_summary(result, attempt=2, worker="w1")))
    assert summary["package"] == "20260101T000000Z-example-no-p"
    assert "replies" not in json.dumps(summary)  # the thread stays in the package
    back = result_from_summary(summary, tmp_path / "shared")
    assert back.package == tmp_path / "shared" / "20260101T000000Z-example-no-p"
    assert back.status is CaptureStatus.PARTIAL and back.warnings == ["w"]
    assert back.artifacts == result.artifacts
    assert back.thread["root"]["handle"] == "@a"
    assert back.provenance == {"started_at": "2026-01-01T00:00:00Z",
                               "seal": {"status": "unsealed"}}


@pytest.mark.parametrize(("url", "what"), [
    ("localhost:6379", "not a queue address"),
    ("amqp://rabbit:5672/", "scheme amqp:// is not supported"),
    ("redis://", "no host"),
    ("redis://host:99999/0", "port"),
    ("redis://host:abc/0", "port"),
    ("redis://host:6379/zero", "database must be a number"),
    ("redis://host:6379/0?timeout=3", "not supported"),
])
def test_bad_queue_addresses_are_named_with_what_to_give(url: str, what: str) -> None:
    with pytest.raises(QueueAddressError) as err:
        parse_queue_url(url)
    assert what in str(err.value) and "--queue" in str(err.value)


def test_queue_address_hides_its_password() -> None:
    address = parse_queue_url("redis://:hunter2@broker.agency.no/3")
    assert (address.host, address.port, address.db) == ("broker.agency.no", 6379, 3)
    assert "hunter2" not in address.shown


def test_batch_with_a_bad_queue_address_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("https://example.no/a\n", "utf-8")
    code = main(["batch", str(listing), "--queue", "http://broker:6379/0",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == ExitStatus.USAGE
    assert "--queue" in err and "redis://HOST:6379/0" in err and "Traceback" not in err
    code = main(["worker", "--queue", "redis://broker:6379/x"])
    err = capsys.readouterr().err
    assert code == ExitStatus.USAGE and "database must be a number" in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_queue_at_start_is_said_and_nothing_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("https://example.no/a\n", "utf-8")
    url = f"redis://127.0.0.1:{_free_port()}/0"
    code = main(["batch", str(listing), "--queue", url, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == ExitStatus.ENVIRONMENT, err
    assert f"The queue at {url} cannot be reached" in err and "Traceback" not in err
    # nothing was started: no batch to resume
    code = main(["batch", str(listing), "--resume", "--out", str(tmp_path / "out")])
    assert code == ExitStatus.USAGE and "no unfinished batch" in capsys.readouterr().err
    code = main(["worker", "--queue", url, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == ExitStatus.ENVIRONMENT and "cannot be reached" in err


# -- claims: exactly one package per key ---------------------------------------------------
def _staged(out: Path, capture_id: str) -> Path:
    """A minimal 'bag' in staging whose bag-info names ``capture_id``."""
    folder = out / ".somecapture-staging" / capture_id
    (folder / "data").mkdir(parents=True)
    (folder / "bag-info.txt").write_text(f"External-Identifier: urn:uuid:{capture_id}\n")
    return folder


def test_the_second_publisher_of_a_key_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = claim.publish_once(_staged(out, "c1"), out, "pkg", "b:1:k", "c1")
    assert first == out / "pkg"
    second = _staged(out, "c2")
    with pytest.raises(AlreadyPublishedError) as err:
        claim.publish_once(second, out, "pkg", "b:1:k", "c2")
    assert err.value.package == first
    assert second.is_dir()  # left to its owner to discard; nothing under a final name
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["pkg"]
    assert claim.published_package(out, "b:1:k") == first
    # another key publishes as usual (under the next free name)
    assert claim.publish_once(_staged(out, "c3"), out, "pkg", "b:2:k", "c3") == out / "pkg-2"


def test_a_claim_whose_publisher_died_before_the_rename_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    claim.claims_dir(out).mkdir(parents=True)
    dead = claim.Claim(key="b:1:k", capture_id="dead", name="pkg", package=None,
                       host=machine_id(), pid=os.getpid(), process="a-dead-process")
    path = claim._claim_path(out, "b:1:k")
    path.write_text(json.dumps(dead.to_json()))
    # same computer, its lock free: the claimer is gone, the claim is taken over at once
    assert claim.publish_once(_staged(out, "c2"), out, "pkg", "b:1:k", "c2") == out / "pkg"
    assert claim.Claim.read(path) is not None and claim.Claim.read(path).capture_id == "c2"


def test_a_claim_published_before_its_name_was_recorded_is_still_found(tmp_path: Path) -> None:
    """Killed between the rename and the claim's update: the package is found by its stem
    and capture id, and not published twice."""
    out = tmp_path / "out"
    claim.claims_dir(out).mkdir(parents=True)
    (out / "pkg").mkdir()
    (out / "pkg" / "bag-info.txt").write_text("External-Identifier: urn:uuid:other\n")
    (out / "pkg-2").mkdir()
    (out / "pkg-2" / "bag-info.txt").write_text("External-Identifier: urn:uuid:c1\n")
    claim._claim_path(out, "k").write_text(json.dumps(claim.Claim(
        key="k", capture_id="c1", name="pkg", package=None, host="elsewhere", pid=1
    ).to_json()))
    with pytest.raises(AlreadyPublishedError) as err:
        claim.publish_once(_staged(out, "c2"), out, "pkg", "k", "c2")
    assert err.value.package == out / "pkg-2"


def test_a_worker_sweeps_only_its_own_computers_staging(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a share whose locks are the client's own, a lock held on another computer looks
    free: a worker must never take another computer's running capture for a dead one."""
    from somecapture.package import staging as builder

    out = tmp_path / "shared"
    monkeypatch.setattr(builder, "machine_id", lambda: "machine-a")
    on_a = builder.Staging(out, "a1", publish_key="b:1:k")
    on_a.prepare()
    # as computer B sees it: A's lock file is there, its lock invisible (client-local)
    assert on_a._lock is not None
    on_a._lock.release(remove=False)
    on_a._lock = None
    assert on_a.path.is_dir()
    monkeypatch.setattr(builder, "machine_id", lambda: "machine-b")
    on_b = builder.Staging(out, "b1", publish_key="b:2:k")
    on_b.prepare()
    assert on_a.path.is_dir() and on_b.path.is_dir()
    assert on_a.path.parent != on_b.path.parent
    # a local capture into the same folder sweeps neither computer's folder
    local = builder.Staging(out, "l1")
    local.prepare()
    assert on_a.path.is_dir() and on_b.path.is_dir()
    local.discard()
    on_b.discard()
    # computer A itself, after its worker died: its own dead capture is swept
    monkeypatch.setattr(builder, "machine_id", lambda: "machine-a")
    again = builder.Staging(out, "a2", publish_key="b:3:k")
    again.prepare()
    assert not on_a.path.exists()
    again.discard()


def test_a_computer_without_a_machine_id_keeps_one_of_its_own(tmp_path: Path) -> None:
    from somecapture.package import machine

    path = tmp_path / "data" / "machine-id"
    first = machine._own_id(path)
    assert path.read_text("ascii").strip() == first
    assert machine._own_id(path) == first
    assert first != machine._own_id(tmp_path / "other" / "machine-id")


def test_a_queued_batch_is_resumed_only_through_a_queue_and_every_queued_run_records_it(
        tmp_path: Path) -> None:
    """The refusal is the library's (the app's Resume opens batches the same way): a local
    runner would capture the workers' items a second time."""
    from somecapture.batch import BatchRunner, open_batch
    from somecapture.batchinput import parse_list_bytes
    from somecapture.distributed.submit import QueuedBatchRunner
    from somecapture.errors import BatchNotResumableError

    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    queue = parse_queue_url("redis://:pw@queue.example.no:6379/2")
    queued = QueuedBatchRunner(options, queue=queue)
    local = BatchRunner(options)
    first = tmp_path / "first.txt"
    first.write_text("https://example.org/1\n", "utf-8")
    parsed = parse_list_bytes(first.read_bytes(), str(first))
    sent = open_batch(queued, parsed, first, resume=False, new=False)
    with pytest.raises(BatchNotResumableError) as err:
        open_batch(local, parsed, first, resume=True, new=False)
    assert "--queue" in str(err.value) and "queue.example.no:6379/2" in str(err.value)
    assert ":pw@" not in str(err.value)
    assert open_batch(queued, parsed, first, resume=True, new=False).batch_id == sent.batch_id
    # begun here, resumed through the queue: from then on the workers' batch too
    second = tmp_path / "second.txt"
    second.write_text("https://example.org/2\n", "utf-8")
    parsed2 = parse_list_bytes(second.read_bytes(), str(second))
    begun = open_batch(local, parsed2, second, resume=False, new=False)
    open_batch(local, parsed2, second, resume=True, new=False)  # still a local batch
    open_batch(queued, parsed2, second, resume=True, new=False)
    assert local.store.options(begun.batch_id)["queue"] == queue.shown
    with pytest.raises(BatchNotResumableError):
        open_batch(local, parsed2, second, resume=True, new=False)


def _claim_of(out: Path, key: str, capture_id: str, *, host: str, package: str | None = None
              ) -> Path:
    claim.claims_dir(out).mkdir(parents=True, exist_ok=True)
    path = claim._claim_path(out, key)
    path.write_text(json.dumps(claim.Claim(key=key, capture_id=capture_id, name="pkg",
                                           package=package, host=host, pid=1,
                                           process="theirs").to_json()))
    return path


def test_another_computers_stale_claim_is_taken_over_after_the_stale_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claim, "STALE_CLAIM_S", 0.6)
    out = tmp_path / "out"
    path = _claim_of(out, "b:1:k", "dead", host="another-machine")
    stale_text = path.read_text()
    began = time.monotonic()
    assert claim.publish_once(_staged(out, "c2"), out, "pkg", "b:1:k", "c2") == out / "pkg"
    assert time.monotonic() - began >= 0.6  # waited the stale time, not less
    now = claim.Claim.read(path)
    assert now is not None and now.capture_id == "c2" and now.host == machine_id()
    assert now.package == "pkg"
    # the stale claim is kept aside under a name made from its contents
    aside = [p for p in claim.claims_dir(out).iterdir() if ".stale-" in p.name]
    assert len(aside) == 1 and aside[0].read_text() == stale_text


def test_a_late_taker_puts_the_fresh_claim_back(tmp_path: Path) -> None:
    """B took the stale claim over and claimed afresh; C, which judged the same stale claim,
    comes late: its rename moves B's fresh claim, which it must put back."""
    out = tmp_path / "out"
    path = _claim_of(out, "b:1:k", "dead", host="another-machine")
    stale_text = path.read_text()
    assert claim._take_over(path, stale_text)  # B
    fresh = _claim_of(out, "b:1:k", "b-capture", host="machine-b").read_text()
    assert not claim._take_over(path, stale_text)  # C, late
    assert path.read_text() == fresh


def test_a_stalled_publisher_whose_claim_was_taken_over_does_not_publish(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    original = bag.publish

    def stalled(staging: Path, out_dir: Path, name: str, **kwargs: object) -> Path:
        # while this publisher stalled, another computer took its claim over
        claim._claim_path(out_dir, "b:1:k").write_text(json.dumps(claim.Claim(
            key="b:1:k", capture_id="taker", name="pkg", package=None, host="machine-c",
            pid=1, process="the-taker").to_json()))
        return original(staging, out_dir, name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(claim.bag, "publish", stalled)
    staged = _staged(out, "c1")
    with pytest.raises(PackageError, match="taken over"):
        claim.publish_once(staged, out, "pkg", "b:1:k", "c1")
    assert staged.is_dir()
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == []
    taker = claim.Claim.read(claim._claim_path(out, "b:1:k"))
    assert taker is not None and taker.capture_id == "taker"  # left to its owner


def test_a_published_package_moved_away_is_still_published(tmp_path: Path) -> None:
    """An ingest moved the package out of the drop folder: the item is not published again."""
    out = tmp_path / "out"
    _claim_of(out, "b:1:k", "c1", host="another-machine", package="pkg-3")
    with pytest.raises(AlreadyPublishedError) as err:
        claim.publish_once(_staged(out, "c2"), out, "pkg", "b:1:k", "c2")
    assert err.value.package == out / "pkg-3"
    assert claim.published_package(out, "b:1:k") == out / "pkg-3"
    result = result_from_package(out / "pkg-3", "https://example.no/p")
    assert result.package == out / "pkg-3"
    assert any("no longer in the output folder" in w for w in result.warnings)


def test_every_capture_option_is_either_shipped_or_the_workers_own() -> None:
    """A new CaptureOptions field fails here until it is classified (and an option that
    lowers a worker's safeguards is under the worker's policy)."""
    import dataclasses

    from somecapture.distributed.jobs import WORKER_OWN, WORKER_POLICY

    shipped = {"ignore_https_errors", "viewport_width_px", "viewport_height_px", "locale",
               "timezone_id", "load_timeout_s", "settle_timeout_s", "network_idle_ms",
               "expand_timeout_s", "expand_max_actions", "lazy_media_timeout_s",
               "screenshot_timeout_s", "capture_timeout_s", "max_capture_bytes",
               "stream_body_threshold_bytes", "allow_private_network", "also_public",
               "keep_credentials", "site", "timestamp", "timestamp_timeout_s"}
    own = {"out_dir", "browser_path", "headless", "proxy", "catalog_path", "record",
           "profile", "timestamp_urls"}
    assert set(SHIPPED) == shipped
    assert set(WORKER_OWN) == own
    assert {f.name for f in dataclasses.fields(CaptureOptions)} == shipped | own
    assert set(WORKER_POLICY) == {"allow_private_network", "ignore_https_errors",
                                  "keep_credentials"}


def test_a_job_asking_for_more_than_its_worker_allows_is_refused(tmp_path: Path) -> None:
    from somecapture.distributed.jobs import policy_refusal

    job = job_for("b1", 1, "https://example.no/p", {}, _options(tmp_path), 0, 1.0)
    refusal = policy_refusal(job, frozenset(), "w1")
    assert refusal is not None
    assert "--allow-private-network" in refusal and "--ignore-https-errors" in refusal
    assert "--allow-keep-credentials" not in refusal  # the job does not ask for it
    assert policy_refusal(job, frozenset({"allow_private_network"}), "w1") is not None
    assert policy_refusal(job, frozenset({"allow_private_network", "ignore_https_errors"}),
                          "w1") is None
    plain = job_for("b1", 1, "https://example.no/p", {}, CaptureOptions(), 0, 1.0)
    assert policy_refusal(plain, frozenset(), "w1") is None


def test_an_unreadable_queue_address_is_a_usage_error_not_a_bug(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["worker", "--queue", "redis://[::1"])
    err = capsys.readouterr().err
    assert code == ExitStatus.USAGE
    assert "--queue" in err and "redis://HOST:6379/0" in err
    assert "bug" not in err.lower() and "Traceback" not in err


def test_the_queue_password_may_come_from_the_environment_and_is_never_shown(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from somecapture.distributed.store import client_for

    monkeypatch.setenv("SOMECAPTURE_QUEUE_PASSWORD", "env-s3cret")
    address = parse_queue_url("redis://broker.agency.no:6379/1")
    assert "env-s3cret" not in repr(address) and "env-s3cret" not in address.shown
    client = client_for(address)
    assert client.connection_pool.connection_kwargs["password"] == "env-s3cret"
    # a password in the address is the address's; neither is in the repr
    given = parse_queue_url("redis://:url-pw@broker.agency.no:6379/1")
    assert "url-pw" not in repr(given)
    assert client_for(given).connection_pool.connection_kwargs["password"] == "url-pw"


def test_a_collected_batchs_keys_expire_within_a_day() -> None:
    import fakeredis

    from somecapture.distributed.store import BatchChannel

    client = fakeredis.FakeRedis()
    channel = BatchChannel(client, "b1")
    channel.remember([job_for("b1", 1, "https://example.no/", {}, CaptureOptions(), 0, 1.0)])
    channel.begin(1, {"worker": "w"})
    channel.finish(1, {"status": "complete", "package": "p"})
    assert client.ttl(channel.results_key) > 7 * 24 * 3600  # uncollected: kept for weeks
    channel.collected()
    for key in (channel.jobs_key, channel.started_key, channel.results_key,
                channel.inflight_key, channel.seq_key):
        assert 0 < client.ttl(key) <= 24 * 3600, key


def test_a_local_file_error_is_not_taken_for_an_unreachable_queue() -> None:
    import redis

    from somecapture.distributed.submit import _redis_errors

    assert not isinstance(PermissionError(13, "Permission denied"), _redis_errors())
    assert isinstance(redis.ConnectionError("refused"), _redis_errors())
    assert isinstance(redis.TimeoutError("timed out"), _redis_errors())


def test_a_redis_client_older_than_the_extra_requires_is_said(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from somecapture.distributed.store import require_engine

    monkeypatch.setattr(redis, "__version__", "4.6.0")
    with pytest.raises(QueueUnreachableError, match="version 4.6.0.*5 or newer"):
        require_engine()
    monkeypatch.setattr(redis, "__version__", "5.0.1")
    require_engine()  # the extra's lowest: accepted


def test_a_claim_that_cannot_be_updated_after_the_rename_still_publishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sharing violation on Windows while the claim is rewritten: the package is published
    all the same, and found again by its stem and capture id."""
    def locked(_path: Path, _claim: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(claim, "_rewrite", locked)
    out = tmp_path / "out"
    assert claim.publish_once(_staged(out, "c1"), out, "pkg", "b:1:k", "c1") == out / "pkg"
    assert claim.published_package(out, "b:1:k") == out / "pkg"


def test_one_reader_finds_a_package_by_its_capture_for_the_batch_and_the_claims(
        tmp_path: Path) -> None:
    from somecapture.batch import find_published

    out = tmp_path / "out"
    for name, capture_id in (("pkg", "other"), ("pkg-2", "c1"), ("another", "c2")):
        (out / name).mkdir(parents=True)
        (out / name / "bag-info.txt").write_text(
            f"External-Identifier: urn:uuid:{capture_id}\n")
    assert bag.find_package(out, "c1") == out / "pkg-2"
    assert bag.find_package(out, "c1", stem="pkg") == out / "pkg-2"
    assert bag.find_package(out, "c2", stem="pkg") is None  # not one of the stem's names
    assert find_published(out, "c2") == out / "another"
    assert find_published(out, "nobody") is None
    (out / "pkg" / "bag-info.txt").unlink()
    (out / "pkg" / "bag-info.txt").mkdir()  # unreadable: cannot be told
    with pytest.raises(OSError):
        find_published(out, "nobody", strict=True)


def test_a_bad_queue_address_and_a_job_of_another_version_are_said_in_norwegian() -> None:
    with pytest.raises(QueueAddressError) as bad:
        parse_queue_url("")
    assert render(bad.value, "nb") == (
        "--queue (tom): ikke en køadresse. Oppgi Redis-tjeneren som --queue "
        "redis://HOST:6379/0 (vert, port, databasenummer).")
    with pytest.raises(QueueAddressError) as secret:
        parse_queue_url("redis://:hunter2@queue.example.no:6379/0?timeout=3")
    said = render(secret.value, "nn")
    assert said.startswith("--queue redis://") and "val etter «?» eller «#»" in said
    assert "hunter2" not in said
    with pytest.raises(OptionsError) as old:
        Job.from_json({"v": 0})
    assert render(old.value, "nn") == (
        "Jobben har format 0; denne arbeidaren forstår 1. Køyr same versjon av somecapture "
        "på datamaskina som sender og på arbeidarane.")
