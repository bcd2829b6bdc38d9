"""The benchmark's distributed part: a failure there is recorded as skipped, not the end of
the whole report."""

from __future__ import annotations

from typing import Any

import pytest

from bench import run


def test_a_failing_distributed_bench_is_recorded_as_skipped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_site: Any, _captures: int) -> dict[str, Any]:
        raise RuntimeError("timed out waiting for the workers")

    monkeypatch.setattr(run, "distributed", broken)
    out = run.distributed_or_skipped(None, 8)  # type: ignore[arg-type]
    assert out == {"skipped": "the distributed batch failed: RuntimeError: timed out "
                              "waiting for the workers"}
    assert out.get(1) is None  # no overhead is computed from it
