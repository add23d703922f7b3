"""``make test-fast`` runs the stress and crash loops shorter, and a case checked at
each screen size at one of them; ``make test`` runs them whole."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

from tests.conftest import ROUNDS_ENV, SCREEN_SIZES, examples, one_size_each, stress_rounds


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


def test_the_fast_run_keeps_one_screen_size_per_case_turning_through_them() -> None:
    rests = ["en", "es", "high", "large"]
    cases: list[tuple[str, tuple[int, int], Hashable]] = [
        ("t.py::matrix", size, rest) for size in SCREEN_SIZES for rest in rests
    ]
    cases += [("t.py::alone", size, ()) for size in SCREEN_SIZES]
    cases += [("t.py::two_sizes", size, ()) for size in SCREEN_SIZES[:2]]
    kept = [case for i, case in enumerate(cases) if i not in one_size_each(cases)]
    matrix = [(size, rest) for test, size, rest in kept if test == "t.py::matrix"]
    assert sorted(str(rest) for _size, rest in matrix) == rests  # each case once
    assert {size for size, _rest in matrix} == set(SCREEN_SIZES)  # every size still seen
    assert len([case for case in kept if case[0] == "t.py::alone"]) == 1
    # Not checked at each of the three sizes: left whole.
    assert len([case for case in kept if case[0] == "t.py::two_sizes"]) == 2


def test_hypothesis_draws_a_tenth_of_its_examples_in_the_fast_run_but_at_least_ten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ROUNDS_ENV, raising=False)
    assert examples(150) == 150
    monkeypatch.setenv(ROUNDS_ENV, "fast")
    assert examples(150) == 15
    assert examples(40) == 10
