"""Widths on a grid for any model family: predicted, then proven by real builds.

Per depth the widths are ``step * j`` within the bounds. The only assumption is that a
member's count never decreases as its width grows. Under it, two builds prove an answer:
if ``count(w) <= P < count(w + step)`` then ``w`` is the largest grid width at or under the
budget ``P`` and ``w + step`` the smallest over it, so the closer of the two is the closest
on the grid (a tie goes to ``w``, the smaller). The search starts where the family's fitted
quadratic (exact rationals, ``isqrt``) puts the root; when that guess fails (a piecewise
count such as Llama's ``multiple_of``) it gallops away from it and bisects, still on real
builds. Every pair of neighbouring builds is spot-checked: a count or a named parameter
tensor that shrinks as the width grows shows that the assumption is false, and the row is
marked ``not proven``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from itertools import pairwise
from math import lcm

from isoparam.errors import IsoparamError, shown
from isoparam.families.base import Quadratic
from isoparam.families.builder import ArgValue, Census, TorchFamily
from isoparam.families.mlp import check_positive
from isoparam.families.models import model_family
from isoparam.request import DepthsLike, WidthBounds, parse_depths
from isoparam.results import Certificate, ModelCount, ModelFamily, ModelRow
from isoparam.solvers.uniform import floor_width

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FINE_DOUBLINGS = 10
"""How often the second point of the knob's line moves twice as far before the knob is
declared not to change the count."""
_FINE_REACH = 1024
"""How far past the line's prediction (as a factor) the knob is searched before its count
is declared to stop growing (a search without a bound would not end)."""


@dataclass(frozen=True)
class GridRequest:
    """A checked request: the family, its depths, the width grid and the mode."""

    model: TorchFamily
    depths: tuple[int, ...]
    step: int
    bounds: WidthBounds = field(default_factory=WidthBounds)
    under: bool = False
    fine: str | None = None
    """A second knob: the builder argument solved at each chosen width."""
    fine_step: int = 1
    """The knob's values are the positive multiples of it."""

    def __post_init__(self) -> None:
        check_positive("the width step", self.step)
        check_positive("the --fine step", self.fine_step)
        if self.fine is not None:
            check_fine(self.model, self.fine)
        elif self.fine_step != 1:
            raise IsoparamError(f"a fine step ({self.fine_step}) needs a knob: give fine too")
        if self.step % self.model.width_multiple:
            raise IsoparamError(
                f"the width step {self.step} is not a multiple of {self.model.width_multiple}, "
                f"which every width of {self.model.model} must be (its head size)"
            )
        high = self.last_index
        if high is not None and high < self.first_index:
            raise IsoparamError(
                f"no multiple of the width step {self.step} lies between the min width "
                f"{self.bounds.low} and the max width {self.bounds.high}"
            )

    @property
    def first_index(self) -> int:
        """The smallest ``j`` with ``step * j`` at or above the min width."""
        return -(-self.bounds.low // self.step)

    @property
    def last_index(self) -> int | None:
        """The largest ``j`` with ``step * j`` at or under the max width (None: no bound)."""
        return None if self.bounds.high is None else self.bounds.high // self.step


def check_fine(family: TorchFamily, name: str) -> None:
    """Refuse a second knob that is not an integer argument of a built-in model (a user's
    builder gets it as a keyword argument and must accept it)."""
    from isoparam.families.models import MODELS

    kind = MODELS.get(family.model)
    if kind is None:
        if not _NAME.fullmatch(name):
            raise IsoparamError(f"--fine names a builder argument, got {name!r}")
        return
    integers = [
        key
        for key, value in kind.defaults
        if value is None or (isinstance(value, int) and not isinstance(value, bool))
    ]
    if name not in integers:
        raise IsoparamError(
            f"--fine {name!r} is not an integer argument of {kind.name}: choose one of "
            f"{', '.join(integers)}" + (f" (usually {kind.fine})" if kind.fine else "")
        )


def grid_request(
    model: str | TorchFamily,
    depths: DepthsLike,
    *,
    model_args: Mapping[str, ArgValue] | None = None,
    width_step: int | None = None,
    min_width: int | None = None,
    max_width: int | None = None,
    under: bool = False,
    fine: str | None = None,
    fine_step: int = 1,
    count: str = "total",
    exclude: Iterable[str] = (),
    input_shape: Iterable[int] | None = None,
) -> GridRequest:
    """The checked request from the keyword arguments users write (see :func:`grid_family`)."""
    if isinstance(model, TorchFamily):
        if model_args or count != "total" or tuple(exclude) or input_shape is not None:
            raise IsoparamError(
                "model_args, count, exclude and input_shape describe a family by name; "
                "a TorchFamily already carries them"
            )
        family = model
    else:
        family = model_family(
            model, model_args or {}, count=count, exclude=exclude, input_shape=input_shape
        )
    step = family.width_multiple if width_step is None else width_step
    check_positive("the width step", step)
    low = step if min_width is None else min_width
    chosen = parse_depths(depths)
    if chosen[-1] > MAX_MODEL_DEPTH:
        raise IsoparamError(
            f"a model family's depth must be at most {MAX_MODEL_DEPTH} (a build takes time "
            f"in proportion to it), got {chosen[-1]}"
        )
    return GridRequest(family, chosen, step, WidthBounds(low, max_width), under, fine, fine_step)


MAX_MODEL_DEPTH = 1000
"""The deepest member of a model family: each build costs time in proportion to the depth
(about half a second for GPT at depth 1000 on the meta device)."""

MAX_MODEL_BUDGET = 2**62
"""PyTorch counts a tensor's elements in 64-bit integers: budgets beyond cannot be built."""


def grid_family(
    model: str | TorchFamily,
    params: int,
    depths: DepthsLike,
    *,
    model_args: Mapping[str, ArgValue] | None = None,
    width_step: int | None = None,
    min_width: int | None = None,
    max_width: int | None = None,
    under: bool = False,
    fine: str | None = None,
    fine_step: int = 1,
    count: str = "total",
    exclude: Iterable[str] = (),
    input_shape: Iterable[int] | None = None,
) -> ModelFamily:
    """For each depth, the grid width whose built model's count is closest to ``params``.

    Parameters
    ----------
    model : str or TorchFamily
        ``gpt``, ``llama``, ``resnet``, ``resmlp``, ``MODULE:FUNCTION``, or a family.
    params : int
        The budget (>= 1).
    depths : str or iterable of int
        ``"2-48"``, ``"3,5,8"`` or ``[6, 12]``.
    model_args : mapping, optional
        Builder arguments (a built-in model's override its documented defaults).
    width_step : int, optional
        Widths are multiples of it (default: the model's width multiple, its head size).
    min_width, max_width : int, optional
        Bounds on the width (default: from one step, unbounded).
    under : bool
        The largest width at or under the budget instead of the closest.
    fine : str, optional
        A second knob: an integer builder argument (``ffn``, the feed-forward size of
        ``gpt`` and ``llama``) solved at each chosen width, so that the count comes as close
        to the budget as one step of the knob allows. Proven like the width, assuming the
        count never decreases as the knob grows.
    fine_step : int
        The knob's values are the positive multiples of it (default 1).
    count, exclude, input_shape :
        The counting convention (see :func:`isoparam.families.models.model_family`).

    Returns
    -------
    ModelFamily
        One :class:`~isoparam.results.ModelRow` per depth with its certificate (the counts
        at ``w`` and ``w + step``) and the number of builds it took.

    Raises
    ------
    IsoparamError
        For a bad request, a builder that fails, or a budget below the smallest member.

    Complexity: a few builds per family to fit the predictor, then 2 builds per depth when
    the prediction holds, ``O(log(width / step))`` when it does not; a knob adds 4 builds
    per depth when the count is linear in it (2 to fit a line, 2 to prove), a gallop and a
    bisection when it is not.

    >>> fam = grid_family("resnet", 270_000, "3", width_step=1)
    >>> row = fam.rows[0]
    >>> row.width, row.params, row.status, row.certificate.below[0], row.builds
    (16, 269722, 'closest', 16, 2)
    """
    check_positive("the budget", params)
    request = grid_request(
        model,
        depths,
        model_args=model_args,
        width_step=width_step,
        min_width=min_width,
        max_width=max_width,
        under=under,
        fine=fine,
        fine_step=fine_step,
        count=count,
        exclude=exclude,
        input_shape=input_shape,
    )
    return solve_grid(request, params)


def count_model(
    model: str | TorchFamily,
    depth: int,
    width: int,
    *,
    model_args: Mapping[str, ArgValue] | None = None,
    count: str = "total",
    exclude: Iterable[str] = (),
    input_shape: Iterable[int] | None = None,
) -> ModelCount:
    """The count of one member, by building it on the meta device, with its audit.

    Parameters
    ----------
    model : str or TorchFamily
        A built-in name (:data:`isoparam.MODELS`), ``MODULE:FUNCTION`` or a family from
        :func:`isoparam.model_family`.
    depth, width : int
        The member: the builder's depth and width arguments (>= 1).
    model_args, count, exclude, input_shape :
        As for :func:`grid_family`: builder arguments, the counting convention (total,
        trainable, non-embedding), parameter-name globs left out, a lazy module's input.

    Returns
    -------
    ModelCount
        The count under the convention, with the audit (tied tensors, buffers, ...).

    Raises
    ------
    IsoparamError
        As :func:`grid_family` does; also when torch is not installed.

    Complexity: one build on the meta device (no memory for the parameters).

    >>> count_model("resnet", 3, 16).params
    269722
    """
    request = grid_request(
        model,
        [depth],
        model_args=model_args,
        count=count,
        exclude=exclude,
        input_shape=input_shape,
    )
    census = request.model.census(depth, width)
    return ModelCount(request.model, depth, width, census.params, census.audit)


Coefficients = tuple[Fraction, ...]


def _predictor(request: GridRequest) -> tuple[Callable[[int], Coefficients] | None, int]:
    """The quadratic in the width at any depth, fitted at the two smallest depths (linear
    in between and beyond), and the builds it took; None when the fit cannot be made."""
    first = request.first_index
    widths = tuple(request.step * (first + i) for i in range(3))
    if request.last_index is not None and request.last_index < first + 2:
        return None, 0
    depths = request.depths[:2]
    try:
        fits = [request.model.fit(depth, (widths[0], widths[1], widths[2])) for depth in depths]
    except IsoparamError:
        return None, 0
    builds = 3 * len(depths)
    if len(fits) == 1:
        return (lambda _: fits[0]), builds
    (d0, d1), (q0, q1) = depths, fits

    def at(depth: int) -> Coefficients:
        share = Fraction(depth - d0, d1 - d0)
        return tuple(c0 + share * (c1 - c0) for c0, c1 in zip(q0, q1, strict=True))

    return at, builds


def predicted_index(coefficients: Coefficients, params: int, step: int) -> int | None:
    """The grid index ``j`` with ``step * j`` the largest width under the quadratic's root,
    in exact integer arithmetic; None when the quadratic is not increasing.

    >>> predicted_index((Fraction(1), Fraction(0), Fraction(0)), 100, 3)  # 9 = floor(10 / 3) * 3
    3
    """
    a, b, c = coefficients
    scale = lcm(a.denominator, b.denominator, c.denominator)
    k, s, u = int(a * scale), int(b * scale), int(c * scale)
    if k < 0 or (k == 0 and s <= 0):
        return None
    return max(floor_width(Quadratic(k, s, u), params * scale), 0) // step


class _Probe:
    """The builds made at one depth, by grid index of the width or of the knob."""

    def __init__(self, member: Callable[[int], Census], first: int, last: int | None) -> None:
        self.member, self.first, self.last = member, first, last
        self.made: dict[int, Census] = {}

    def census(self, index: int) -> Census:
        if index not in self.made:
            self.made[index] = self.member(index)
        return self.made[index]

    def fits(self, index: int, params: int) -> bool:
        return self.census(index).params <= params

    def monotone(self) -> bool:
        """Whether neighbouring builds never shrink: neither the count nor any tensor."""
        indices = sorted(self.made)
        for left, right in pairwise(indices):
            small, large = self.made[left], self.made[right]
            if large.params < small.params:
                return False
            sizes = dict(large.tensors)
            if any(sizes.get(name, 0) < numel for name, numel in small.tensors):
                return False
        return True


def _floor_index(probe: _Probe, params: int, start: int) -> int | None:
    """The largest grid index whose count is at or under ``params`` (None: not even the
    first), searched from ``start`` by galloping and bisection on real builds."""
    first, last = probe.first, probe.last
    start = max(start, first) if last is None else min(max(start, first), last)
    if probe.fits(start, params):
        low, distance = start, 1
        while True:
            candidate = start + distance
            if last is not None and candidate >= last:
                candidate = last
            if candidate == low:
                return low
            if not probe.fits(candidate, params):
                high = candidate
                break
            low, distance = candidate, distance * 2
    else:
        high, distance = start, 1
        while True:
            candidate = max(start - distance, first)
            if candidate == high:
                return None
            if probe.fits(candidate, params):
                low = candidate
                break
            high, distance = candidate, distance * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if probe.fits(middle, params) else (low, middle)
    return low


def _bracket(
    probe: _Probe, floor: int, step: int, params: int, under: bool
) -> tuple[tuple[int, int], Certificate]:
    """The chosen ``(value, count)`` and its certificate, from the largest index ``floor``
    at or under the budget (or ``first - 1`` when none is): the closer of it and the next
    index, ties to the smaller; with ``under``, ``floor`` itself."""
    below = None if floor < probe.first else (step * floor, probe.census(floor).params)
    above = None
    if probe.last is None or floor < probe.last:
        above = (step * (floor + 1), probe.census(floor + 1).params)
    if below is None or above is None:
        choice = below or above
    elif not under and above[1] - params < params - below[1]:
        choice = above
    else:
        choice = below
    assert choice is not None  # an index exists on the grid, so one side does
    return choice, Certificate(below, above)


def _status(deviation: int, under: bool, monotone: bool) -> str:
    if not monotone:
        return "not proven"
    if deviation == 0:
        return "exact"
    return "under" if under else "closest"


def _solve_fine(
    request: GridRequest, depth: int, width: int, params: int
) -> tuple[tuple[int, int], Certificate, _Probe]:
    """The knob's value at one depth and width: a line through two builds (at the first
    value and about ``width`` further, or farther while the count has not grown) predicts
    it, two more prove it (gallop and bisection when the count is not linear in the knob)."""
    name, step = request.fine, request.fine_step
    assert name is not None

    def member(index: int) -> Census:
        return request.model.with_option(name, step * index).census(depth, width)

    probe = _Probe(member, 1, None)
    far = 1 + max(width // step, 1)
    low, high = probe.census(1).params, probe.census(far).params
    for _ in range(_FINE_DOUBLINGS):  # a knob rounded to a coarse multiple: look further
        if high > low:
            break
        far = 2 * far
        high = probe.census(far).params
    if high <= low:
        raise IsoparamError(
            f"the count of {request.model.model} at depth {depth}, width {width} does not "
            f"grow with {name} ({low} parameters at {name}={step}, {high} at {name}="
            f"{step * far}): --fine needs an argument that the count grows with"
        )
    start = 1 + max(params - low, 0) * (far - 1) // (high - low)
    probe.last = _FINE_REACH * max(start, far)
    floor = _floor_index(probe, params, start)
    if floor == probe.last:
        raise IsoparamError(
            f"the count of {request.model.model} at depth {depth}, width {width} stays under "
            f"the budget up to {name}={step * floor}, {_FINE_REACH} times past where a line "
            f"through {name}={step} and {name}={step * far} reaches it: the count stops "
            f"growing with {name}"
        )
    if floor is None and request.under:
        raise IsoparamError(
            f"no value of {name} keeps depth {depth}, width {width} at or under the budget "
            f"{params}: at {name}={step} it has {low} parameters"
        )
    choice, certificate = _bracket(
        probe, 0 if floor is None else floor, step, params, request.under
    )
    return choice, certificate, probe


def solve_grid(request: GridRequest, params: int) -> ModelFamily:
    """The family for a checked request: see :func:`grid_family`."""
    check_positive("the budget", params)
    if params > MAX_MODEL_BUDGET:
        raise IsoparamError(
            f"a model family's budget must be at most 2^62 (about 4.6*10^18: PyTorch counts "
            f"a tensor's elements in 64-bit integers), got {shown(params)}"
        )
    predict, fit_builds = _predictor(request)
    rows = []
    previous: int | None = None
    for depth in request.depths:
        probe = _Probe(
            partial(_width_member, request.model, depth, request.step),
            request.first_index,
            request.last_index,
        )
        start = None if predict is None else predicted_index(predict(depth), params, request.step)
        if start is None:
            start = request.first_index if previous is None else previous
        floor = _floor_index(probe, params, start)
        if floor is None:
            smallest = probe.census(request.first_index)
            raise IsoparamError(
                f"the budget {params} is too small for depth {depth}: its smallest member "
                f"(width {request.step * request.first_index}) has {smallest.params} parameters"
            )
        choice, certificate = _bracket(probe, floor, request.step, params, request.under)
        previous = choice[0] // request.step
        width, count, monotone, builds = choice[0], choice[1], probe.monotone(), len(probe.made)
        fine_value = fine_certificate = None
        if request.fine is not None:
            (fine_value, count), fine_certificate, knob = _solve_fine(
                request, depth, width, params
            )
            monotone = monotone and knob.monotone()
            builds += len(knob.made)
        rows.append(
            ModelRow(
                depth=depth,
                width=width,
                params=count,
                deviation=count - params,
                status=_status(count - params, request.under, monotone),
                certificate=certificate,
                builds=builds,
                fine_name=request.fine,
                fine_value=fine_value,
                fine_certificate=fine_certificate,
            )
        )
    return ModelFamily(
        model=request.model,
        target=params,
        rows=tuple(rows),
        width_step=request.step,
        bounds=request.bounds,
        under=request.under,
        fit_builds=fit_builds,
        fine=request.fine,
        fine_step=request.fine_step,
    )


def _width_member(family: TorchFamily, depth: int, step: int, index: int) -> Census:
    return family.census(depth, step * index)
