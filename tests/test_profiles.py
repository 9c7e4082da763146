"""Shape profiles against brute force over every scale and offset tuple, and BUTTER's
tapers to the output size against its own (float) definition."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import IsoparamError, Profile, count_params, family, render, to_json
from isoparam.errors import NotFound
from isoparam.families.mlp import MLP, CountingModel
from isoparam.request import SearchLimits, by_ratios
from isoparam.results import Architecture
from isoparam.solvers import profile_lines, profiles
from isoparam.solvers.budget import common_budget
from isoparam.solvers.profiles import ProfileProblem
from tests.reference import brute_force_profile_row, reference_count

PROFILES = [
    "rectangle",
    "trapezoid:2",
    "trapezoid:1/2",
    "exponential:1/2",
    "wide-first:3",
    "custom:3,1,2",
    "trapezoid-to-output",
    "exponential-to-output",
]


def profile_base(profile: str, depth: int, outputs: int) -> Callable[[int], tuple[int, ...]]:
    """The profile's widths at each scale, for the brute-force reference."""
    return lambda scale: Profile.parse(profile).widths(depth, scale, outputs)


def smallest_count(inputs: int, outputs: int, depth: int, bias: bool, profile: str) -> int:
    """The count of the profile's smallest network (scale 1): smaller budgets are refused."""
    widths = profile_base(profile, depth, outputs)(1)
    return reference_count([inputs, *widths, outputs], bias)


@settings(max_examples=150, deadline=None)
@given(
    inputs=st.integers(1, 15),
    outputs=st.integers(1, 15),
    depth=st.integers(1, 4),
    offset=st.integers(0, 2),
    slack=st.integers(0, 1500),
    bias=st.booleans(),
    profile=st.sampled_from(PROFILES),
)
def test_profiles_match_brute_force(
    inputs: int, outputs: int, depth: int, offset: int, slack: int, bias: bool, profile: str
) -> None:
    target = smallest_count(inputs, outputs, depth, bias, profile) + slack
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, max_spread=offset, profile=profile
    ).architectures
    base = profile_base(profile, depth, outputs)
    assert arch.widths == brute_force_profile_row(inputs, outputs, base, target, offset, bias)
    assert arch.params == count_params(arch.sizes, bias=bias)


def test_rectangle_profile_is_the_spread() -> None:
    plain = family(784, 10, 100_000, "5-8", max_spread=2)
    assert (
        plain.architectures
        == family(784, 10, 100_000, "5-8", max_spread=2, profile="rectangle").architectures
    )


def test_profiles_taper_and_hit_the_budget() -> None:
    fam = family(784, 10, 100_000, "6", max_spread=2, profile="trapezoid:2")
    (arch,) = fam.architectures
    assert arch.widths[0] > arch.widths[-1]
    assert abs(arch.deviation) <= 2
    assert Profile.parse("wide-first:3").widths(3, 9, 10) == (9, 3, 3)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("pyramid", "unknown profile 'pyramid': choose rectangle, trapezoid:R"),
        ("trapezoid", "the profile trapezoid is written trapezoid:R, got 'trapezoid'"),
        ("trapezoid:1,2", "is written trapezoid:R"),
        ("trapezoid:0", "the value of profile trapezoid must be a positive number .* got '0'"),
        ("trapezoid:-1", "must be a positive number"),
        ("custom:", "the profile custom is written custom:W1,W2,..."),
        ("wide-first:x", "the value of profile wide-first must be a positive number"),
        ("trapezoid-to-output:2", "the profile trapezoid-to-output takes no value"),
    ],
)
def test_bad_profiles(bad: str, message: str) -> None:
    with pytest.raises(IsoparamError, match=message):
        family(784, 10, 100_000, "5", profile=bad)


@settings(max_examples=120, deadline=None)
@given(
    inputs=st.integers(1, 15),
    outputs=st.integers(1, 15),
    depth=st.integers(3, 4),
    offset=st.integers(2, 4),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
    profile=st.sampled_from(PROFILES[1:]),  # the rectangle takes the spread search
)
def test_claims_beyond_the_value_sets_hold(
    inputs: int, outputs: int, depth: int, offset: int, slack: int, bias: bool, profile: str
) -> None:
    # Let the exhaustive search stop after offset 1 (and the depth-3 lines find nothing),
    # so the construction runs; brute force over every scale and offset tuple then checks
    # each claim it makes.
    target = smallest_count(inputs, outputs, depth, bias, profile) + slack
    base = profile_base(profile, depth, outputs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ProfileProblem, "fits", lambda self, offset: offset <= 1)
        patch.setattr(profiles, "closest_profile_three", lambda problem, offset: None)
        try:
            (arch,) = family(
                inputs, outputs, target, [depth], bias=bias, max_spread=offset, profile=profile
            ).architectures
        except IsoparamError:
            arch = None
    up_to_one = brute_force_profile_row(inputs, outputs, base, target, 1, bias)
    if arch is None or arch.constructed_above is not None:
        assert reference_count([inputs, *up_to_one, outputs], bias) != target
    if arch is None:
        return
    assert arch.params == count_params(arch.sizes, bias=bias)
    if arch.constructed_above is None:
        assert arch.widths == up_to_one
        return
    assert arch.exact
    assert arch.constructed_above == 1
    assert any(
        all(0 <= w - b <= offset for w, b in zip(arch.widths, base(scale), strict=True))
        for scale in range(1, max(arch.widths) * 2 + 2)
    )


def test_a_new_profile_is_one_registry_entry(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from isoparam.cli import main
    from isoparam.request import PROFILES, ProfileKind

    hourglass = ProfileKind(
        "hourglass",
        None,
        "narrow in the middle",
        by_ratios(
            lambda _, depth: tuple(Fraction(1 + abs(2 * i - depth + 1)) for i in range(depth))
        ),
    )
    monkeypatch.setitem(PROFILES, "hourglass", hourglass)
    (arch,) = family(784, 10, 200_000, [5], profile="hourglass", max_spread=2).architectures
    assert arch.widths[0] > arch.widths[2] < arch.widths[4]
    assert arch.params == count_params(arch.sizes)
    assert main(["family", "--help"]) == 0
    assert "hourglass: narrow in the middle" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(IsoparamError, match="hourglass"):
        Profile.parse("nonesuch")


# --- BUTTER's tapers to the output size ----------------------------------------------
# BUTTER (NREL's Empirical Deep Learning framework, src/dmp/model/dense_by_size.py) sizes a
# network of D dense layers (the output layer included: D = hidden depth + 1) from a float
# scale; these are its definitions, written here in floats as it computes them.


def butter_widths(shape: str, layers: int, outputs: int, scale: float) -> list[float]:
    """BUTTER's layer widths before rounding (every dense layer, the output last)."""
    if shape == "trapezoid":
        beta = (scale - outputs) / (layers - 1)
        return [scale - beta * k for k in range(layers)]
    beta = math.exp(math.log(outputs / scale) / (layers - 1))
    return [scale * beta**k for k in range(layers)]


def butter_rounded(shape: str, layers: int, outputs: int, scale: float) -> list[int]:
    widths = [round(w) for w in butter_widths(shape, layers, outputs, scale)]
    return widths if shape == "trapezoid" else [max(outputs, w) for w in widths]


def near_a_tie(values: list[float]) -> bool:
    """Whether float rounding may differ from exact rounding (a value within 1e-6 of a half)."""
    return any(abs(v - math.floor(v) - 0.5) < 1e-6 for v in values)


@settings(max_examples=300, deadline=None)
@given(
    depth=st.integers(1, 9),
    outputs=st.integers(1, 60),
    scale=st.integers(1, 5000),
    shape=st.sampled_from(["trapezoid", "exponential"]),
)
def test_to_output_widths_are_butters(depth: int, outputs: int, scale: int, shape: str) -> None:
    ours = Profile.parse(f"{shape}-to-output").widths(depth, scale, outputs)
    # exact: the trapezoid's widths are rationals rounded half to even; the exponential's
    # r = round(x^(1/L)) for x = s^(L-k) c^k satisfies (2r - 1)^L < 2^L x < (2r + 1)^L
    for k, width in enumerate(ours):
        if shape == "trapezoid":
            assert width == round(Fraction((depth - k) * scale + k * outputs, depth))
        else:
            x = scale ** (depth - k) * outputs**k
            assert width >= outputs
            if width > outputs:
                assert (2 * width - 1) ** depth < x << depth < (2 * width + 1) ** depth
            else:
                assert x << depth < (2 * outputs + 1) ** depth
    raw = butter_widths(shape, depth + 1, outputs, float(scale))
    if not near_a_tie(raw):
        assert butter_rounded(shape, depth + 1, outputs, float(scale)) == [*ours, outputs]


@settings(max_examples=60, deadline=None)
@given(
    inputs=st.integers(1, 40),
    outputs=st.integers(1, 20),
    depth=st.integers(1, 5),
    slack=st.integers(0, 20_000),
    bias=st.booleans(),
    shape=st.sampled_from(["trapezoid", "exponential"]),
)
def test_to_output_never_farther_than_butters_integer_search(
    inputs: int, outputs: int, depth: int, slack: int, bias: bool, shape: str
) -> None:
    # BUTTER's integer search bisects over scales 1..2^30 and keeps the closest network it
    # visits: never closer than the closest over every integer scale, which bounds it here.
    profile = f"{shape}-to-output"
    target = smallest_count(inputs, outputs, depth, bias, profile) + slack
    (arch,) = family(inputs, outputs, target, [depth], bias=bias, profile=profile).architectures
    best = None
    for scale in range(1, target + 1):
        raw = butter_widths(shape, depth + 1, outputs, float(scale))
        sizes = [inputs, *butter_rounded(shape, depth + 1, outputs, float(scale))]
        total = reference_count(sizes, bias)
        if not near_a_tie(raw):
            best = abs(total - target) if best is None else min(best, abs(total - target))
        if total > 2 * target:
            break
    assert best is None or abs(arch.deviation) <= best


@settings(max_examples=80, deadline=None)
@given(
    inputs=st.integers(1, 15),
    outputs=st.integers(1, 15),
    depth=st.integers(1, 4),
    offset=st.integers(0, 3),
    slack=st.integers(0, 3000),
    profile=st.sampled_from(PROFILES),
)
def test_a_profile_row_reports_its_offset_as_spread(
    inputs: int, outputs: int, depth: int, offset: int, slack: int, profile: str
) -> None:
    target = smallest_count(inputs, outputs, depth, True, profile) + slack
    fam = family(inputs, outputs, target, [depth], max_spread=offset, profile=profile)
    (arch,) = fam.architectures
    base = profile_base(profile, depth, outputs)
    least = min(
        max(w - b for w, b in zip(arch.widths, base(scale), strict=True))
        for scale in range(1, max(arch.widths) + 1)
        if all(b <= w for w, b in zip(arch.widths, base(scale), strict=True))
    )
    assert arch.spread == least <= offset
    assert arch.width_range == max(arch.widths) - min(arch.widths)
    (record,) = to_json(fam)["architectures"]
    assert (record["spread"], record["width_range"]) == (arch.spread, arch.width_range)


def test_profile_tables_show_the_offset() -> None:
    fam = family(784, 10, 100_000, "4", max_spread=2, profile="trapezoid-to-output")
    (arch,) = fam.architectures
    assert (arch.widths, arch.spread, arch.width_range) == ((107, 81, 58, 36), 2, 71)
    assert "spread" in render(fam, "table").splitlines()[2]
    with pytest.raises(IsoparamError, match="fall below the profile"):
        Architecture.measure(fam.model, (1, 1, 1, 1), 100_000, profile=fam.profile)


# --- common budgets along a profile --------------------------------------------------

BUDGET_LIMIT = 2500


def brute_profile_counts(
    inputs: int, outputs: int, depth: int, profile: str, offset: int, bias: bool, step: int
) -> set[int]:
    """Every count up to BUDGET_LIMIT of a network within ``offset`` of the profile, its
    widths multiples of ``step``, by every scale and offset tuple."""
    if depth == 0:
        return {reference_count([inputs, outputs], bias)}
    base = profile_base(profile, depth, outputs)
    found, scale = set(), 1
    while reference_count([inputs, *base(scale), outputs], bias) <= BUDGET_LIMIT:
        for offsets in product(range(offset + 1), repeat=depth):
            widths = [b + x for b, x in zip(base(scale), offsets, strict=True)]
            if not any(w % step for w in widths):
                found.add(reference_count([inputs, *widths, outputs], bias))
        scale += 1
    return {total for total in found if total <= BUDGET_LIMIT}


@settings(max_examples=80, deadline=None)
@given(
    inputs=st.integers(1, 8),
    outputs=st.integers(1, 8),
    depths=st.sets(st.integers(1, 4), min_size=2, max_size=3),
    linear=st.sampled_from([False] * 5 + [True]),  # depth 0 too: its one count or none
    offset=st.integers(0, 2),
    step=st.sampled_from([1, 1, 2, 3]),
    bias=st.booleans(),
    profile=st.sampled_from(PROFILES[1:]),
    mode=st.sampled_from(["at-least", "range", "near", "near %"]),
    span=st.integers(0, 600),
    data=st.data(),
)
def test_common_budgets_on_profiles_match_brute_force(
    inputs: int,
    outputs: int,
    depths: set[int],
    offset: int,
    bias: bool,
    profile: str,
    mode: str,
    span: int,
    data: st.DataObject,
    linear: bool,
    step: int,
) -> None:
    ordered = sorted(depths | {0} if linear else depths)
    offset = min(3, offset + step - 1)  # a step needs room for a multiple in every range
    common = set.intersection(
        *(brute_profile_counts(inputs, outputs, d, profile, offset, bias, step) for d in ordered)
    )
    # start near a common budget most of the time, so that answers are tested, not only "none"
    anywhere = st.integers(1, BUDGET_LIMIT - 200)
    around = st.sampled_from(sorted(common)) if common else anywhere
    start = max(1, data.draw(st.one_of(anywhere, around)) + data.draw(st.integers(-300, 100)))
    options: dict[str, object] = {}
    if mode == "at-least":
        lo, hi = start, BUDGET_LIMIT
        if not any(lo <= t <= hi for t in common):
            return  # the search would go on to start + 10^8, beyond the brute force
        options["at_least"] = start
    elif mode == "range":
        lo, hi = start, start + span
        options.update(at_least=start, max_params=hi)
    else:
        reach = span // 2 if mode == "near" else start * (span % 50) // 100
        lo, hi = max(1, start - reach), start + reach
        window = reach if mode == "near" else f"{span % 50}%"
        options.update(near=start, window=window)
    inside = sorted(t for t in common if lo <= t <= hi)
    try:
        found = common_budget(
            inputs,
            outputs,
            ordered,
            bias=bias,
            max_spread=offset,
            profile=profile,
            width_step=step,
            **options,  # type: ignore[arg-type]
        )
    except NotFound as error:
        message = str(error)
        assert not inside, message
        if message.endswith("exists at all"):
            assert not common
        elif "the only common budget" in message:  # depth 0 has one count: the only candidate
            only = int(message.split(" is ")[1].split(";")[0])
            assert common == {only}
        else:
            named = ", ".join(map(str, ordered))
            assert message == f"no common budget for depths {named} in [{lo}, {hi}]"
        return
    if mode.startswith("near"):
        assert found.budget == min(inside, key=lambda t: (abs(t - start), t))
    else:
        assert found.budget == inside[0]
    for arch in found.family.architectures:
        assert arch.exact
        assert arch.spread <= offset
        assert all(w % step == 0 for w in arch.widths)


def test_to_output_ties_round_half_to_even_as_butter_does() -> None:
    # (s + c) / 2 for L = 2: 10.5 -> 10 and 11.5 -> 12, as Python's round gives BUTTER
    trapezoid = Profile.parse("trapezoid-to-output")
    assert (
        trapezoid.widths(2, 11, 10)
        == (11, 10)
        == tuple(butter_rounded("trapezoid", 3, 10, 11)[:2])
    )
    assert (
        trapezoid.widths(2, 13, 10)
        == (13, 12)
        == tuple(butter_rounded("trapezoid", 3, 10, 13)[:2])
    )
    # the exponential below the output size is the output size throughout
    assert Profile.parse("exponential-to-output").widths(3, 4, 10) == (10, 10, 10)


# --- a width step along a profile ----------------------------------------------------


@settings(max_examples=160, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    depth=st.integers(1, 4),
    step=st.integers(1, 4),
    extra=st.integers(0, 3),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
    under=st.booleans(),
    profile=st.sampled_from(PROFILES[1:]),
    scan_only=st.booleans(),
)
def test_width_step_on_profiles_matches_brute_force(
    inputs: int,
    outputs: int,
    depth: int,
    step: int,
    extra: int,
    slack: int,
    bias: bool,
    under: bool,
    profile: str,
    scan_only: bool,
) -> None:
    offset = step - 1 + extra
    base = profile_base(profile, depth, outputs)
    smallest = [-(-w // step) * step for w in base(1)]
    target = reference_count([inputs, *smallest, outputs], bias) + slack
    with pytest.MonkeyPatch.context() as patch:
        if scan_only and depth == 2:  # no value set at all: the scan over the multiples
            patch.setattr(ProfileProblem, "fits", lambda self, offset: False)
        (arch,) = family(
            inputs,
            outputs,
            target,
            [depth],
            bias=bias,
            max_spread=offset,
            profile=profile,
            width_step=step,
            under=under,
        ).architectures
    expected = brute_force_profile_row(
        inputs, outputs, base, target, offset, bias, under=under, step=step
    )
    assert arch.widths == expected
    assert arch.spread <= offset


def test_width_step_on_a_profile_needs_room_for_a_multiple() -> None:
    with pytest.raises(IsoparamError, match="needs --max-spread in units, at least 7"):
        family(784, 10, 10**5, "3", profile="trapezoid-to-output", width_step=8, max_spread=6)
    with pytest.raises(IsoparamError, match="equal widths or a profile"):
        family(784, 10, 10**5, "3", width_step=8, max_spread=7)
    (arch,) = family(
        784, 10, 10**5, "4", profile="trapezoid-to-output", width_step=8, max_spread=7
    ).architectures
    assert all(w % 8 == 0 for w in arch.widths)
    assert arch.spread <= 7


def test_budget_names_the_depths_as_the_user_counts_them() -> None:
    with pytest.raises(NotFound, match=r"^no common budget for depths 3, 4, 5, 6 in \["):
        common_budget(
            784,
            10,
            "3-6",
            depth_convention="linear",
            profile="trapezoid-to-output",
            max_spread=2,
            near=100_000,
        )


@settings(max_examples=100, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    step=st.integers(1, 3),
    extra=st.integers(0, 4),
    slack=st.integers(0, 3000),
    bias=st.booleans(),
    under=st.booleans(),
    profile=st.sampled_from(PROFILES[1:]),
    scan=st.one_of(st.integers(1, 60), st.integers(61, 1500)),
)
def test_depth_three_lines_match_brute_force(
    inputs: int,
    outputs: int,
    step: int,
    extra: int,
    slack: int,
    bias: bool,
    under: bool,
    profile: str,
    scan: int,
) -> None:
    # Value sets for offset 0 only: depth 3 is answered by the lines (or the scan), proven,
    # or, past their work limit, by the closest within a halved offset (or the value sets)
    # and a construction: each claim is checked against brute force over the offset it names.
    offset = step - 1 + extra
    base = profile_base(profile, 3, outputs)
    smallest = [-(-w // step) * step for w in base(1)]
    target = reference_count([inputs, *smallest, outputs], bias) + slack
    expected = brute_force_profile_row(
        inputs, outputs, base, target, offset, bias, under=under, step=step
    )
    limits = SearchLimits(profile_work=1, scan=scan)
    try:
        (arch,) = family(
            inputs,
            outputs,
            target,
            [3],
            bias=bias,
            max_spread=offset,
            profile=profile,
            width_step=step,
            under=under,
            limits=limits,
        ).architectures
    except IsoparamError:
        arch = None  # a step whose value sets do not fit, past the lines' limit
    problem = ProfileProblem(
        MLP(inputs, outputs, CountingModel(bias=bias)),
        Profile.parse(profile),
        3,
        target,
        limits,
        under,
        step,
    )
    found = profile_lines.closest_profile_three(problem, offset)
    if found is not None:  # the closest within the offset it names
        widths, within = found
        assert within <= offset
        assert widths == brute_force_profile_row(
            inputs, outputs, base, target, within, bias, under=under, step=step
        )
    if arch is None:
        assert found is None
    elif arch.searched_up_to is not None:  # the closest within it
        assert arch.widths == brute_force_profile_row(
            inputs, outputs, base, target, arch.searched_up_to, bias, under=under, step=step
        )
    elif arch.constructed_above is not None:  # exact, and none exact within it
        assert arch.exact
        within_it = brute_force_profile_row(
            inputs, outputs, base, target, arch.constructed_above, bias, step=step
        )
        assert reference_count([inputs, *within_it, outputs], bias) != target
    else:
        assert arch.widths == expected
    # Each way of answering on its own, without a limit.
    free = replace(problem, limits=SearchLimits())
    lines = profile_lines._lines(free, offset)
    assert lines is not None
    assert profile_lines._by_levels(free, lines, 10**9)[0] == expected
    assert profile_lines._by_scan(free, lines) == expected


@settings(max_examples=80, deadline=None)
@given(
    inputs=st.integers(1, 12),
    outputs=st.integers(1, 12),
    offsets=st.tuples(st.integers(0, 12), st.integers(0, 12)).map(sorted),
    slack=st.integers(0, 5000),
    bias=st.booleans(),
    under=st.booleans(),
    profile=st.sampled_from(PROFILES[1:]),
    scan=st.integers(1, 400),
)
def test_depth_three_lines_prove_no_less_for_a_larger_offset(
    inputs: int,
    outputs: int,
    offsets: list[int],
    slack: int,
    bias: bool,
    under: bool,
    profile: str,
    scan: int,
) -> None:
    # Where the smaller offset falls back (the lines past their limit), the larger one
    # proves the closest within at least as large an offset, so it is no farther.
    target = smallest_count(inputs, outputs, 3, bias, profile) + slack
    problem = ProfileProblem(
        MLP(inputs, outputs, CountingModel(bias=bias)),
        Profile.parse(profile),
        3,
        target,
        SearchLimits(scan=scan),
        under,
    )
    small, large = (profile_lines.closest_profile_three(problem, d) for d in offsets)
    if small is None or small[1] == offsets[0]:
        return
    assert large is not None
    assert large[1] >= small[1]
    assert abs(problem.count(large[0]) - target) <= abs(problem.count(small[0]) - target)
