"""Opening a batch (new, resumed or refused) is decided in one place for the CLI and the app;
batch outcomes map to exit statuses in cli/status.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from somecapture.batch import (
    BatchItemResult,
    BatchResult,
    BatchRunner,
    find_unfinished,
    open_batch,
)
from somecapture.batchinput import parse_list_bytes
from somecapture.cli.status import ExitStatus, status_for_batch
from somecapture.errors import BatchNotResumableError, BatchUnfinishedError, InputError
from somecapture.models import UnfinishedBatch
from somecapture.options import CaptureOptions

URLS = ["https://example.org/post/1", "https://example.org/post/2"]


def _list(path: Path, urls: list[str]) -> Path:
    path.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def runner(tmp_path: Path) -> BatchRunner:
    return BatchRunner(CaptureOptions(out_dir=tmp_path / "out",
                                      catalog_path=tmp_path / "catalog.sqlite"))


def test_a_new_list_starts_a_new_batch(runner, tmp_path):
    listing = _list(tmp_path / "list.txt", URLS)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    assert find_unfinished(runner, listing, parsed) is None
    opened = open_batch(runner, parsed, listing, resume=False, new=False)
    assert not opened.resumed
    assert opened.out_dir == runner.out_dir
    assert opened.rows == ((1, URLS[0], None), (2, URLS[1], None))
    assert find_unfinished(runner, listing, parsed) == UnfinishedBatch(
        opened.batch_id, True, 0, 2)


def test_an_unfinished_batch_refuses_a_new_start_unless_new(runner, tmp_path):
    listing = _list(tmp_path / "list.txt", URLS)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    first = open_batch(runner, parsed, listing, resume=False, new=False)
    with pytest.raises(BatchUnfinishedError) as caught:
        open_batch(runner, parsed, listing, resume=False, new=False)
    assert isinstance(caught.value, InputError) and caught.value.code == "input"
    assert str(caught.value) == (f"An unfinished batch of {listing} into {runner.out_dir} "
                                 "exists. Finish it with --resume, or start over with --new.")
    again = open_batch(runner, parsed, listing, resume=False, new=True)
    assert again.batch_id != first.batch_id and not again.resumed


def test_resume_continues_the_unfinished_batch(runner, tmp_path):
    listing = _list(tmp_path / "list.txt", URLS)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    first = open_batch(runner, parsed, listing, resume=False, new=False)
    resumed = open_batch(runner, parsed, listing, resume=True, new=False)
    assert resumed.resumed and resumed.batch_id == first.batch_id
    assert resumed.rows == first.rows


def test_resume_is_refused_without_a_batch_or_after_the_list_changed(runner, tmp_path):
    listing = _list(tmp_path / "list.txt", URLS)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    with pytest.raises(BatchNotResumableError, match="no unfinished batch") as caught:
        open_batch(runner, parsed, listing, resume=True, new=False)
    assert caught.value.code == "input"
    open_batch(runner, parsed, listing, resume=False, new=False)
    changed = _list(listing, URLS[:1])
    reparsed = parse_list_bytes(changed.read_bytes(), str(changed))
    assert find_unfinished(runner, listing, reparsed).same_list is False
    with pytest.raises(BatchNotResumableError, match="has changed since the batch started"):
        open_batch(runner, reparsed, listing, resume=True, new=False)


def test_resume_and_new_contradict(runner, tmp_path):
    listing = _list(tmp_path / "list.txt", URLS)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    with pytest.raises(InputError, match="contradict"):
        open_batch(runner, parsed, listing, resume=True, new=True)


@pytest.mark.parametrize(("statuses", "expected"), [
    (["complete", "complete"], ExitStatus.OK),
    ([], ExitStatus.OK),
    (["complete", "partial"], ExitStatus.PARTIAL),
    (["partial", "failed"], ExitStatus.FAILED),
    (["complete", "pending"], ExitStatus.FAILED),  # never captured counts as failed
])
def test_batch_outcomes_map_to_exit_statuses(statuses, expected):
    result = BatchResult("b-1", [BatchItemResult(n, f"https://example.org/{n}", s, None, [],
                                                 None, f"c-{n}", 1)
                                 for n, s in enumerate(statuses, 1)])
    assert status_for_batch(result) == expected
