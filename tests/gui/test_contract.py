"""The real engine bridge and the tests' fake both satisfy the views' contract.

``EngineBridgeProtocol`` is what the views may use; if the real bridge grows or changes a
method and the fake does not follow (or the other way round), the GUI tests would test a
different app. Signatures are compared parameter by parameter: names, kinds and defaults.
"""

from __future__ import annotations

import inspect

import pytest
from PySide6.QtCore import QObject, Signal

from somecapture.gui.bridge import EngineBridge
from somecapture.gui.contract import EngineBridgeProtocol
from tests.gui.fakes import FakeBridge

IMPLEMENTATIONS = [EngineBridge, FakeBridge]


def _members() -> dict[str, object]:
    return {name: value for name, value in vars(EngineBridgeProtocol).items()
            if not name.startswith("_")}


def _shape(fn: object) -> list[tuple[str, object, object]]:
    params = inspect.signature(fn).parameters.values()
    return [(p.name, p.kind, p.default) for p in params]


def test_the_contract_names_the_signals_and_the_jobs():
    members = _members()
    assert {"job_started", "event_received", "job_finished", "job_failed",
            "job_cancelled"} <= set(members)
    assert {"capture", "batch", "unfinished_batch", "read_list", "cancel"} <= set(members)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS, ids=lambda c: c.__name__)
def test_each_bridge_has_every_member_with_a_compatible_signature(impl):
    for name, member in _members().items():
        assert hasattr(impl, name), f"{impl.__name__} lacks {name}"
        if isinstance(member, property):
            # a signal of the contract: a Qt signal on the class
            assert isinstance(getattr(impl, name), Signal), f"{impl.__name__}.{name}"
        else:
            assert _shape(getattr(impl, name)) == _shape(member), (
                f"{impl.__name__}.{name}{inspect.signature(getattr(impl, name))} does not "
                f"match the contract's {name}{inspect.signature(member)}")


def test_every_public_method_of_the_real_bridge_is_in_the_contract():
    # a method the views could call on the real bridge but the fake need not have
    public = {name for name, value in vars(EngineBridge).items()
              if callable(value) and not name.startswith("_")
              and not isinstance(value, Signal) and not hasattr(QObject, name)}
    assert public - set(_members()) == set()
