"""Common budgets: a parameter count every requested depth hits exactly, and the family at it.

Equal widths go to :mod:`isoparam.solvers.pell`, a spread above 0 to
:mod:`isoparam.solvers.intersect`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from isoparam.errors import IsoparamError, NotFound, power_text
from isoparam.families.mlp import CountingModel, check_positive
from isoparam.request import (
    DepthsLike,
    parse_depths,
    resolve_spread,
)
from isoparam.results import Budget
from isoparam.solvers.family import family
from isoparam.solvers.intersect import (
    nearest_spread_common,
    spread_common_counts,
)
from isoparam.solvers.pell import DepthCounts, uniform_common_counts
from isoparam.solvers.spread import (
    SpreadProblem,
)
from isoparam.solvers.uniform import closest_width


def check_search_range(low: int, high: int) -> None:
    if low < 1 or high < low:
        raise IsoparamError(f"the budget range [{low}, {high}] is empty")


def model_depths(
    counting: CountingModel,
    inputs: int,
    outputs: int,
    depths: tuple[int, ...],
    min_width: int,
    max_width: int | None,
) -> list[DepthCounts]:
    return [
        DepthCounts(depth, counting.uniform(inputs, outputs, depth), min_width, max_width)
        for depth in depths
    ]


def common_budget(
    inputs: int,
    outputs: int,
    depths: DepthsLike,
    *,
    near: int | None = None,
    window: int | None = None,
    at_least: int = 1,
    max_params: int | None = None,
    bias: bool = True,
    norm: str = "none",
    max_spread: int | str = 0,
    min_width: int = 1,
    max_width: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Budget:
    """A parameter count that every depth hits exactly, and the family at it.

    With ``near`` the common budget closest to it within ``window`` (default 5% of it; a
    tie goes to the smaller); otherwise the smallest one from ``at_least`` up to
    ``max_params`` (default ``10^100`` with equal widths, ``at_least + 10^8`` otherwise).
    Raises :class:`NotFound` when there is none in the range, saying whether none exists
    at all.

    >>> found = common_budget(4, 3, "1-2", bias=False)
    >>> found.budget, [a.widths for a in found.family.architectures]
    (98, [(14,), (7, 7)])
    """
    for what, value in (("the input size", inputs), ("the output size", outputs)):
        check_positive(what, value)
    check_positive("the min width", min_width)
    if max_width is not None:
        check_positive("the max width", max_width)
    levels = parse_depths(depths)
    counting = CountingModel(bias=bias, norm=norm)
    if near is not None:
        check_positive("the budget to search near", near)
        window = near // 20 if window is None else window
        if window < 0:
            raise IsoparamError(f"the window must be >= 0, got {window}")
        low, high, reference = max(1, near - window), near + window, near
    else:
        check_positive("the smallest budget", at_least)
        if max_params is not None:
            high = max_params
        else:
            high = 10**100 if max_spread in (0, "0") else at_least + 10**8
        low, reference = at_least, at_least
    check_search_range(low, high)
    counts = model_depths(counting, inputs, outputs, levels, min_width, max_width)
    spreads = {
        d.depth: resolve_spread(max_spread, max(1, closest_width(d.count, reference)))
        for d in counts
    }
    spread = min(spreads.values())
    if spread == 0 or all(d.depth == 1 for d in counts):
        search = uniform_common_counts(counts, low, high)
        complete, explanation = search.complete, search.explanation
        budget = _pick(search.budgets, near)
    else:
        problems = [
            SpreadProblem(counting, inputs, outputs, d.depth, high, min_width, max_width or high)
            for d in counts
        ]
        complete, explanation = (
            False,
            (
                f"each depth's exactly reachable counts with spread at most {spread}, assembled "
                "from its offset tables and intersected as bitsets",
            ),
        )
        if near is None:
            budget = next(spread_common_counts(problems, spread, low, high, progress), None)
        else:
            budget = nearest_spread_common(problems, spread, near, high - near, progress)
    if budget is None:
        where = "exists at all" if complete else f"in [{low}, {power_text(high)}]"
        raise NotFound(
            f"no common budget for depths {', '.join(map(str, levels))} {where}", explanation
        )
    fam = family(
        inputs,
        outputs,
        budget,
        levels,
        bias=bias,
        norm=norm,
        max_spread=spread,
        min_width=min_width,
        max_width=max_width,
    )
    return Budget(budget, fam, low, high, complete, explanation)


def _pick(candidates: Iterator[int], near: int | None) -> int | None:
    """The first candidate, or with ``near`` the closest one (the smaller on a tie)."""
    if near is None:
        return next(candidates, None)
    best = None
    for candidate in candidates:
        if best is None or abs(candidate - near) < abs(best - near):
            best = candidate
        if candidate >= near:
            break
    return best
