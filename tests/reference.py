"""Brute-force references, written independently of the library's formulas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise, product

NORM_PARAMETERS = {"none": 0, "layer": 2, "batch": 2, "rms": 1}
"""Learnable parameters per unit of each norm in torch: LayerNorm and BatchNorm1d a scale
and a shift, RMSNorm a scale."""


def reference_count(
    sizes: Sequence[int],
    bias: bool,
    norm: str = "none",
    norm_bias: bool = True,
    norm_affine: bool = True,
) -> int:
    """Weights between consecutive layers, plus one bias per non-input unit if ``bias``,
    plus the norm's learnable parameters per hidden unit if a norm follows every hidden
    layer (LayerNorm without bias loses its shift; no affine, no parameters)."""
    weights = sum(left * right for left, right in pairwise(sizes))
    biases = sum(sizes[1:]) if bias else 0
    per_unit = NORM_PARAMETERS[norm] - (not norm_bias) if norm_affine else 0
    return weights + biases + per_unit * sum(sizes[1:-1])


def uniform_count(
    inputs: int, outputs: int, depth: int, width: int, bias: bool, norm: str = "none"
) -> int:
    return reference_count([inputs, *[width] * depth, outputs], bias, norm)


def scan_closest_width(
    inputs: int, outputs: int, depth: int, target: int, bias: bool, norm: str = "none"
) -> int:
    """Scan every width until counts pass the target; keep the closest, smaller on ties."""
    best_width, best_gap = 1, abs(uniform_count(inputs, outputs, depth, 1, bias, norm) - target)
    width = 1
    while uniform_count(inputs, outputs, depth, width, bias, norm) <= target:
        width += 1
        gap = abs(uniform_count(inputs, outputs, depth, width, bias, norm) - target)
        if gap < best_gap:
            best_width, best_gap = width, gap
    return best_width


def bisect_closest_width(
    inputs: int, outputs: int, depth: int, target: int, bias: bool, norm: str = "none"
) -> int:
    """Bisection on the width (counts grow with it), for budgets far beyond any scan."""
    low, high = 1, 2
    while uniform_count(inputs, outputs, depth, high, bias, norm) <= target:
        low, high = high, high * 2
    # Invariant: count(low) <= target < count(high), unless count(1) > target.
    while high - low > 1:
        middle = (low + high) // 2
        if uniform_count(inputs, outputs, depth, middle, bias, norm) <= target:
            low = middle
        else:
            high = middle
    below = abs(uniform_count(inputs, outputs, depth, low, bias, norm) - target)
    above = abs(uniform_count(inputs, outputs, depth, high, bias, norm) - target)
    return high if above < below else low


def brute_force_family_row(
    inputs: int,
    outputs: int,
    depth: int,
    target: int,
    max_spread: int,
    bias: bool,
    norm: str = "none",
    low: int = 1,
    high: int | None = None,
    under: bool = False,
) -> tuple[int, ...]:
    """Every width tuple with spread <= max_spread in [low, high], ranked by the documented
    rule: |deviation|, spread, funnel first, under budget first, lexicographically greatest.
    With ``under`` only counts at or under the target qualify.
    """
    width = scan_closest_width(inputs, outputs, depth, target, bias, norm)
    top = high if high is not None else target
    best: tuple[tuple[int, int, bool, bool, tuple[int, ...]], tuple[int, ...]] | None = None
    for base in range(low, min(top, max(width + 2, low)) + 1):
        for offsets in product(range(max_spread + 1), repeat=depth):
            widths = tuple(base + offset for offset in offsets)
            if max(widths) > top or min(offsets) != 0:
                continue
            deviation = reference_count([inputs, *widths, outputs], bias, norm) - target
            if under and deviation > 0:
                continue
            funnel = all(left >= right for left, right in pairwise(widths))
            key = (
                abs(deviation),
                max(offsets),
                not funnel,
                deviation > 0,
                tuple(-w for w in widths),
            )
            if best is None or key < best[0]:
                best = (key, widths)
    assert best is not None
    return best[1]


def brute_common_budgets(
    inputs: int, outputs: int, depths: list[int], limit: int, bias: bool, norm: str = "none"
) -> list[int]:
    """Scan the widths of the sparsest (deepest) depth; test the others by scanning theirs."""

    def hits(depth: int) -> set[int]:
        found, width = set(), 1
        while (total := uniform_count(inputs, outputs, depth, width, bias, norm)) <= limit:
            found.add(total)
            width += 1
        return found

    deepest, *others = sorted(depths, reverse=True)
    common = hits(deepest)
    for depth in others:
        common &= hits(depth)
    return sorted(common)


def brute_common_bounded(
    inputs: int,
    outputs: int,
    depths: list[int],
    limit: int,
    bias: bool,
    low: int = 1,
    high: int | None = None,
) -> list[int]:
    """Common counts up to ``limit`` of equal widths in ``[low, high]``, by scanning every
    allowed width of every depth."""

    def hits(depth: int) -> set[int]:
        found, width = set(), low
        while (high is None or width <= high) and (
            total := uniform_count(inputs, outputs, depth, width, bias)
        ) <= limit:
            found.add(total)
            width += 1
        return found

    common = hits(depths[0])
    for depth in depths[1:]:
        common &= hits(depth)
    return sorted(common)


def brute_reachable(
    inputs: int, outputs: int, depth: int, spread: int, bias: bool, low: int, high: int
) -> set[int]:
    """Every count in ``[low, high]`` of a width tuple with spread at most ``spread``."""
    found = set()
    base = 1
    while uniform_count(inputs, outputs, depth, base, bias) <= high:
        for offsets in product(range(spread + 1), repeat=depth):
            total = reference_count([inputs, *(base + x for x in offsets), outputs], bias)
            if low <= total <= high:
                found.add(total)
        base += 1
    return found


def brute_force_profile_row(
    inputs: int,
    outputs: int,
    base: Callable[[int], Sequence[int]],
    target: int,
    max_offset: int,
    bias: bool,
    under: bool = False,
    step: int = 1,
) -> tuple[int, ...]:
    """Every scale and offset tuple, ranked like the family rule: |deviation|, smallest
    offset bound, funnel first, under budget first, lexicographically greatest widths.
    ``base(scale)`` gives the profile's widths (nondecreasing in the scale). With ``under``
    only counts at or under the target qualify. With a ``step`` only widths that are its
    multiples qualify, and offset bounds below ``step - 1`` rank as ``step - 1``."""
    options = []
    scale = 1
    while True:
        widths_at = base(scale)
        if reference_count([inputs, *widths_at, outputs], bias) > 4 * target + 100:
            break
        for offsets in product(range(max_offset + 1), repeat=len(widths_at)):
            widths = tuple(b + x for b, x in zip(widths_at, offsets, strict=True))
            if any(w % step for w in widths):
                continue
            deviation = reference_count([inputs, *widths, outputs], bias) - target
            if not (under and deviation > 0):
                options.append((abs(deviation), max(step - 1, *offsets), deviation, widths))
        scale += 1
    best = min(option[0] for option in options)
    bound = min(option[1] for option in options if option[0] == best)
    tied = [option for option in options if option[0] == best and option[1] <= bound]

    def key(option: tuple[int, int, int, tuple[int, ...]]) -> tuple[object, ...]:
        widths = option[3]
        funnel = all(left >= right for left, right in pairwise(widths))
        return (not funnel, option[2] > 0, tuple(-w for w in widths))

    return min(tied, key=key)[3]


def brute_shapes(
    budget: int,
    bias: bool,
    norm: str = "none",
    inputs: int | None = None,
    outputs: int | None = None,
    depths: set[int] | None = None,
    low: int = 1,
    high: int | None = None,
    step: int | None = None,
) -> list[tuple[int, ...]]:
    """Every size sequence whose reference count is exactly ``budget``, by exhaustive
    extension of prefixes (a prefix's weights only grow, so it stops once over budget)."""
    found = []

    def extend(prefix: list[int]) -> None:
        if len(prefix) >= 2:
            total = reference_count(prefix, bias, norm)
            hidden = prefix[1:-1]
            if (
                total == budget
                and (outputs is None or prefix[-1] == outputs)
                and (depths is None or len(hidden) in depths)
                and all(low <= w <= (high or w) for w in hidden)
                and (step is None or all(abs(x - y) <= step for x, y in pairwise(hidden)))
            ):
                found.append(tuple(prefix))
            weights = sum(x * y for x, y in pairwise(prefix))
            if weights + prefix[-1] > budget:  # any further layer adds at least prefix[-1]
                return
        for size in range(1, budget + 1):
            if len(prefix) >= 1 and prefix[-1] * size > budget:
                break
            extend([*prefix, size])

    for first in [inputs] if inputs is not None else range(1, budget + 1):
        extend([first])
    return sorted(found)


def recursive_free_counts(limit: int, bias: bool, norm: str = "none") -> list[int]:
    """Shapes per budget 1..limit with no rules, by the plain recursion over every width:
    ``ways(q, t)`` finishes from width ``t`` with ``q`` to spend, next layer by next layer."""
    hidden = int(bias) + (0 if norm == "none" else 2)
    output = int(bias)
    ways: list[list[int]] = [[0] * (limit + 2) for _ in range(limit + 1)]
    for q in range(1, limit + 1):
        for t in range(1, q + 1):
            total = int(q % (t + output) == 0)
            u = 1
            while (t + hidden) * u <= q:
                total += ways[q - (t + hidden) * u][u]
                u += 1
            ways[q][t] = total
    return [sum(ways[q]) for q in range(1, limit + 1)]
