"""Uniform sampling of shapes and the streaming listing, against brute force."""

from __future__ import annotations

import json
import math
import shlex
import time
from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import IsoparamError, NotFound, sample_shapes
from isoparam.cli import main
from isoparam.request import ShapeRules, shape_rules
from isoparam.shapes import table as table_module
from isoparam.shapes.sample import FREE_LIMIT, TABLE_CELLS, Sampler, table_cells
from isoparam.shapes.table import count_shapes, enumerate_shapes
from tests.reference import brute_shapes, reference_count

RULES = st.fixed_dictionaries(
    {
        "bias": st.booleans(),
        "norm": st.sampled_from(["none", "layer"]),
        "inputs": st.one_of(st.none(), st.integers(1, 3)),
        "outputs": st.one_of(st.none(), st.integers(1, 3)),
        "depths": st.one_of(st.none(), st.sets(st.integers(0, 4), min_size=1, max_size=3)),
        "low": st.integers(1, 2),
        "span": st.one_of(st.none(), st.integers(0, 3)),
        "step": st.one_of(st.none(), st.integers(0, 2)),
    }
)


def make(values: dict[str, Any], budget: int) -> tuple[ShapeRules, list[tuple[int, ...]]]:
    """The rules and the brute-force listing for one hypothesis example."""
    low, span, depths = values["low"], values["span"], values["depths"]
    high = None if span is None else low + span
    rules = shape_rules(
        bias=values["bias"], norm=values["norm"], inputs=values["inputs"],
        outputs=values["outputs"], depths=None if depths is None else sorted(depths),
        min_width=low, max_width=high, max_step=values["step"],
    )  # fmt: skip
    expected = brute_shapes(
        budget, values["bias"], values["norm"], values["inputs"], values["outputs"], depths,
        low, high, values["step"],
    )  # fmt: skip
    return rules, expected


@settings(max_examples=150, deadline=None)
@given(values=RULES, budget=st.integers(1, 16))
def test_every_index_is_one_shape(values: dict[str, Any], budget: int) -> None:
    # The draw maps [0, total) one-to-one onto the shapes, so a uniform index (randrange on
    # the exact total) is a uniform shape: checked against brute force, every index.
    rules, expected = make(values, budget)
    sampler = Sampler(budget, rules)
    assert sampler.total == len(expected)
    assert sorted(sampler.shape(index) for index in range(sampler.total)) == expected


@pytest.mark.parametrize("budget", [1, 2, 3, 4, 8, 9, 15, 16, 18])
@pytest.mark.parametrize(("bias", "norm"), [(False, "none"), (True, "none"), (True, "layer")])
def test_the_free_tables_draw_every_shape_once(budget: int, bias: bool, norm: str) -> None:
    # Without rules the draw uses the narrow/wide split of the free count (wide layers from
    # isqrt(P) + 1 up); budgets around squares move the split.
    rules = shape_rules(bias=bias, norm=norm)
    assert rules.free
    expected = brute_shapes(budget, bias, norm)
    sampler = Sampler(budget, rules)
    assert sorted(sampler.shape(index) for index in range(sampler.total)) == expected


def chi_square_bound(degrees: int) -> float:
    """A bound the chi-square statistic exceeds with probability about 1e-6
    (Wilson-Hilferty, z = 4.75)."""
    z, k = 4.75, degrees
    return float(k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3)


@pytest.mark.parametrize(
    "rules",
    [shape_rules(bias=False), shape_rules(norm="layer"), shape_rules(max_step=1, depths="1-4")],
)
def test_frequencies_are_uniform(rules: ShapeRules) -> None:
    budget = 12
    population = list(enumerate_shapes(budget, rules))
    draws = 60 * len(population)
    counts = Counter(sample_shapes(budget, rules, draws, seed=2024))
    assert set(counts) <= set(population)
    expected = draws / len(population)
    statistic = sum((counts[shape] - expected) ** 2 / expected for shape in population)
    assert statistic < chi_square_bound(len(population) - 1)


def test_draws_at_larger_budgets_obey_the_rules() -> None:
    rules = shape_rules(outputs=4, max_step=2, min_width=2, max_width=9, depths="2-6")
    for shape in sample_shapes(600, rules, 50, seed=5):
        hidden = shape[1:-1]
        assert reference_count(shape, True) == 600
        assert shape[-1] == 4
        assert 2 <= len(hidden) <= 6
        assert all(2 <= w <= 9 for w in hidden)
        assert all(abs(x - y) <= 2 for x, y in pairwise(hidden))
    free = Sampler(2000, shape_rules(norm="batch"))
    assert free.total == count_shapes(2000, shape_rules(norm="batch"))
    for shape in free.draws(30, seed=1):
        assert reference_count(shape, True, "batch") == 2000


def test_reproducible_for_a_seed() -> None:
    rules = shape_rules(bias=False)
    first = sample_shapes(40, rules, 20, seed=3)
    assert sample_shapes(40, rules, 20, seed=3) == first
    assert sample_shapes(40, rules, 20, seed=4) != first
    assert sample_shapes(40, rules, 20) == sample_shapes(40, rules, 20, seed=0)


def test_table_cells_is_exact() -> None:
    # The closed form against a count of every (remaining budget, width) cell of a table.
    for rules in [
        shape_rules(max_step=1),
        shape_rules(bias=False, min_width=3, max_width=7),
        shape_rules(min_width=2, max_width=40, depths="1-3"),
        shape_rules(outputs=3, min_width=5),
    ]:
        steps = table_module.Steps(rules)
        buckets = 1 if rules.depths is None else max(rules.depths)
        for budget in (1, 2, 5, 9, 30, 57):
            cells = sum(
                1
                for remaining in range(budget + 1)
                for width in range(rules.min_width, remaining - steps.output + 1)
                if rules.max_width is None or width <= rules.max_width
            )
            assert table_cells(budget, rules) == cells * buckets, (rules, budget)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sample_shapes(10, None, 0), "the number of draws must be an integer >= 1"),
        (lambda: sample_shapes(10, None, True), "the number of draws must be an integer"),
        (lambda: sample_shapes(10, None, 2_000_000), "above the limit 1000000"),
        (lambda: sample_shapes(10, None, 1, -1), "the seed must be an integer >= 0, got -1"),
        (
            lambda: sample_shapes(10, None, 1, "7"),  # type: ignore[arg-type]
            "the seed must be an integer >= 0, got '7'",
        ),
        (lambda: sample_shapes(0), "the budget"),
        (lambda: sample_shapes(FREE_LIMIT + 1), f"up to a budget of {FREE_LIMIT}"),
        (lambda: sample_shapes(5000, shape_rules(max_step=2)), f"limit of {TABLE_CELLS}"),
        (lambda: Sampler(10).shape(10**6), "the index must be an integer in [0, "),
    ],
)
def test_bad_values_are_refused(call: object, message: str) -> None:
    with pytest.raises(IsoparamError, match=message.replace("[", r"\[").replace("(", r"\(")):
        call()  # type: ignore[operator]


def test_nothing_to_draw() -> None:
    with pytest.raises(NotFound, match="no shape has exactly 5 parameters"):
        sample_shapes(5, shape_rules(inputs=7))


def status(command: str) -> int | str | None:
    """The exit status of a command line, whether the parser or the command refuses it."""
    try:
        return main(shlex.split(command))
    except SystemExit as exit_status:
        return exit_status.code


def test_cli_sample(capsys: pytest.CaptureFixture[str]) -> None:
    command = "shapes --params 30 --inputs 2 --outputs 3 --depths 1-2 --no-bias --sample 6"
    assert main(shlex.split(command + " --seed 11 --format json")) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["sample"] == {"seed": 11, "population": 5}
    shapes = [tuple(shape) for shape in document["shapes"]]
    assert len(shapes) == 6
    assert set(shapes) <= set(
        enumerate_shapes(30, shape_rules(inputs=2, outputs=3, depths="1-2", bias=False))
    )
    assert main(shlex.split(command + " --format csv")) == 0
    assert len(capsys.readouterr().out.splitlines()) == 7  # the header and 6 draws, seed 0
    for bad in ("--limit 2", "--seed -1", "--format torch", "--sample 0", "--seed x"):
        assert status(f"{command} {bad}") == 2
    assert main(shlex.split("shapes --params 30 --seed 1")) == 2
    assert "--seed applies to --sample only" in capsys.readouterr().err
    assert main(shlex.split("shapes --params 30 --sample 2 --limit 2")) == 2
    assert "--limit would be ignored with --sample" in capsys.readouterr().err
    assert main(shlex.split("shapes --params 5 --inputs 7 --sample 2")) == 1


def test_the_first_shape_streams_at_once() -> None:
    start = time.perf_counter()
    first = next(enumerate_shapes(10**6))
    assert time.perf_counter() - start < 5  # well under a second on a quiet machine
    assert first == (1,) * 500_001  # width-1 layers cost 2 parameters each with biases
    shapes = enumerate_shapes(10**4, shape_rules(outputs=7, max_step=1))
    assert reference_count(next(shapes), True) == 10**4


def test_listing_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(IsoparamError, match="can have up to 10000002 layers"):
        enumerate_shapes(10**7, shape_rules(bias=False))
    assert next(enumerate_shapes(10**7, shape_rules(bias=False, depths="2")))[0] == 1
    monkeypatch.setattr(table_module, "DEAD_LIMIT", 10)
    with pytest.raises(IsoparamError, match="more than 10 dead ends"):
        list(enumerate_shapes(200, shape_rules(outputs=150)))
