"""Shape profiles against brute force over every scale and offset tuple."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoparam import IsoparamError, Profile, count_params, family
from isoparam.solvers.profiles import ProfileProblem
from tests.reference import brute_force_profile_row, reference_count, uniform_count

PROFILES = [
    "rectangle",
    "trapezoid:2",
    "trapezoid:1/2",
    "exponential:1/2",
    "wide-first:3",
    "custom:3,1,2",
]


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
    target = uniform_count(inputs, outputs, depth, 1, bias) + slack
    (arch,) = family(
        inputs, outputs, target, [depth], bias=bias, max_spread=offset, profile=profile
    ).architectures
    ratios = Profile.parse(profile).ratios(depth)
    assert arch.widths == brute_force_profile_row(inputs, outputs, ratios, target, offset, bias)
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
    assert Profile.parse("wide-first:3").ratios(3) == (Fraction(3), Fraction(1), Fraction(1))


@pytest.mark.parametrize(
    "bad", ["pyramid", "trapezoid", "trapezoid:-1", "custom:", "wide-first:x"]
)
def test_bad_profiles(bad: str) -> None:
    with pytest.raises(IsoparamError, match="profile"):
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
    # Let the exhaustive search stop after offset 1, so the construction runs; brute force
    # over every scale and offset tuple then checks each claim it makes.
    target = uniform_count(inputs, outputs, depth, 1, bias) + slack
    ratios = Profile.parse(profile).ratios(depth)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ProfileProblem, "fits", lambda self, offset: offset <= 1)
        try:
            (arch,) = family(
                inputs, outputs, target, [depth], bias=bias, max_spread=offset, profile=profile
            ).architectures
        except IsoparamError:
            arch = None
    up_to_one = brute_force_profile_row(inputs, outputs, ratios, target, 1, bias)
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
    top = max(ratios)
    assert any(
        all(
            0 <= w - max(1, int(scale * r / top)) <= offset
            for w, r in zip(arch.widths, ratios, strict=True)
        )
        for scale in range(1, max(arch.widths) * 2 + 2)
    )


def test_a_new_profile_is_one_registry_entry(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fractions import Fraction

    from isoparam.cli import main
    from isoparam.request import PROFILES, ProfileKind

    hourglass = ProfileKind(
        "hourglass",
        None,
        "narrow in the middle",
        lambda _, depth: tuple(Fraction(1 + abs(2 * i - depth + 1)) for i in range(depth)),
    )
    monkeypatch.setitem(PROFILES, "hourglass", hourglass)
    (arch,) = family(784, 10, 200_000, [5], profile="hourglass", max_spread=2).architectures
    assert arch.widths[0] > arch.widths[2] < arch.widths[4]
    assert arch.params == count_params(arch.sizes)
    assert main(["family", "--help"]) == 0
    assert "hourglass: narrow in the middle" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(IsoparamError, match="hourglass"):
        Profile.parse("nonesuch")
