"""``make test-fast`` runs the stress and crash loops shorter; ``make test`` runs them whole."""

from __future__ import annotations

import pytest

from tests.conftest import ROUNDS_ENV, stress_rounds


def test_full_rounds_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ROUNDS_ENV, raising=False)
    assert stress_rounds(100) == 100
    monkeypatch.setenv(ROUNDS_ENV, "")
    assert stress_rounds(200) == 200


def test_a_tenth_in_the_fast_run_but_never_fewer_than_five(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ROUNDS_ENV, "fast")
    assert stress_rounds(100) == 10
    assert stress_rounds(200) == 20
    assert stress_rounds(20) == 5
