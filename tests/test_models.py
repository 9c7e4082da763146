"""Model families of any PyTorch builder: counts against torch, the grid solver against a
brute-force scan, the audit's errors, the command line and the JSON round trip."""

from __future__ import annotations

import doctest
import json
import re
import runpy
import shlex
import subprocess
import sys
from fnmatch import fnmatchcase
from fractions import Fraction
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import isoparam
from isoparam import IsoparamError
from isoparam.cli import main
from isoparam.families.builder import ArgValue, TorchFamily
from isoparam.families.models import MODELS, model_family, parse_model_arg
from isoparam.solvers.grid import count_model, grid_family

SMALL = {
    "gpt": ({"vocab_size": 97, "context": 16, "head_size": 8}, 2, 32),
    "llama": ({"vocab_size": 97, "head_size": 8, "kv_group": 2, "multiple_of": 16}, 2, 32),
    "resnet": ({"classes": 7}, 1, 4),
    "resmlp": ({"inputs": 12, "outputs": 3, "expansion": 2}, 2, 8),
    "hf:gpt2": ({"vocab_size": 97, "context": 16, "head_size": 8}, 2, 32),
    "hf:llama": ({"vocab_size": 97, "head_size": 8, "kv_group": 2, "multiple_of": 16}, 2, 32),
}
INPUTS = {
    "gpt": lambda: torch.randint(0, 97, (2, 5)),
    "llama": lambda: torch.randint(0, 97, (2, 5)),
    "resnet": lambda: torch.randn(2, 3, 8, 8),
    "resmlp": lambda: torch.randn(2, 12),
    "hf:gpt2": lambda: torch.randint(0, 97, (2, 5)),
    "hf:llama": lambda: torch.randint(0, 97, (2, 5)),
}


def needs_transformers(name: str) -> None:
    """Skip the Hugging Face models where the hf extra is not installed (the test extra
    leaves it out: it adds about 10 s to the install and 3 s to import)."""
    if name.startswith("hf:"):
        pytest.importorskip("transformers")


def torch_count(model: nn.Module, convention: str, exclude: tuple[str, ...] = ()) -> int:
    """torch's own count: unique parameters, less embedding tables or excluded names."""
    embedded = {
        id(p) for m in model.modules() if isinstance(m, nn.Embedding) for p in m.parameters()
    }
    names = dict(model.named_parameters())
    total = 0
    for name, parameter in names.items():
        if any(fnmatchcase(name, glob) for glob in exclude):
            continue
        if convention == "trainable" and not parameter.requires_grad:
            continue
        if convention == "non-embedding" and id(parameter) in embedded:
            continue
        total += parameter.numel()
    return total


@pytest.mark.parametrize(
    ("model", "depth", "width", "expected"),
    [
        ("gpt", 12, 768, 124_439_808),
        ("llama", 32, 4096, 6_738_415_616),
        ("resnet", 3, 16, 269_722),
        ("hf:gpt2", 12, 768, 124_439_808),
        ("hf:llama", 32, 4096, 6_738_415_616),
    ],
)
def test_reference_counts(model: str, depth: int, width: int, expected: int) -> None:
    needs_transformers(model)
    assert count_model(model, depth, width).params == expected


@settings(max_examples=10, deadline=None)
@given(
    depth=st.integers(1, 3),
    heads=st.integers(1, 4),
    ffn=st.none() | st.integers(1, 40),
    tied=st.booleans(),
    kv_group=st.sampled_from([1, 2]),
)
def test_transformers_counts_as_our_builders(
    depth: int, heads: int, ffn: int | None, tied: bool, kv_group: int
) -> None:
    """Hugging Face's GPT-2 and Llama, made from local configurations, against isoparam's
    own gpt and llama: two independent implementations of the same architectures."""
    needs_transformers("hf:")
    gpt: dict[str, ArgValue] = {"vocab_size": 31, "context": 7, "head_size": 4}
    gpt |= {"ffn": ffn, "tied": tied}
    width = 4 * heads * kv_group
    assert count_model("hf:gpt2", depth, width, model_args=gpt).params == (
        count_model("gpt", depth, width, model_args=gpt).params
    )
    llama: dict[str, ArgValue] = {"vocab_size": 31, "head_size": 4, "kv_group": kv_group}
    llama |= {"multiple_of": 8}
    llama |= {"ffn": ffn, "tied": tied}
    assert count_model("hf:llama", depth, width, model_args=llama).params == (
        count_model("llama", depth, width, model_args=llama).params
    )


def test_hf_models_without_transformers_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # as if it were not installed
    with pytest.raises(IsoparamError, match=r"the hf: models need transformers: pip install"):
        count_model("hf:gpt2", 1, 64, model_args={"vocab_size": 5})


def test_gpt2_small_without_embeddings() -> None:
    result = count_model("gpt", 12, 768, count="non-embedding")
    assert result.params == 85_056_000
    assert result.audit.total == 124_439_808
    assert 12 * 12 * 768**2 == 84_934_656  # Kaplan's formula: not a count of anything built


def test_untied_head_adds_the_vocabulary() -> None:
    tied = count_model("gpt", 12, 768).params
    assert count_model("gpt", 12, 768, model_args={"tied": False}).params == tied + 50257 * 768


@pytest.mark.parametrize("convention", ["total", "trainable", "non-embedding"])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_torch_counts_what_isoparam_counts(name: str, convention: str) -> None:
    needs_transformers(name)
    arguments, depth, width = SMALL[name]
    family = model_family(name, arguments, count=convention)
    built = family.build(depth, width)  # a real CPU model, initialised as usual
    assert family.count(depth, width) == torch_count(built, convention)
    output = built(INPUTS[name]())  # and it runs
    assert getattr(output, "logits", output).shape[0] == 2  # transformers: a ModelOutput


@pytest.mark.parametrize("name", sorted(MODELS))
def test_exclude_globs(name: str) -> None:
    needs_transformers(name)
    arguments, depth, width = SMALL[name]
    family = model_family(name, arguments, exclude=["*.bias", "*norm*"])
    built = family.build(depth, width, device="meta")
    assert family.count(depth, width) == torch_count(built, "total", ("*.bias", "*norm*"))


def test_user_builder_conventions() -> None:
    frozen = model_family("tests.builders:frozen", count="trainable")
    assert frozen.count(3, 5) == 2 * 30
    shared = model_family("tests.builders:shared")
    assert shared.count(4, 5) == 30
    assert any("counted once" in line for line in shared.census(4, 5).audit.lines())


def test_uniform_fits_polynomial_families_only() -> None:
    gpt = model_family("gpt")
    quadratic = gpt.uniform(12)
    assert quadratic is not None
    assert quadratic(768) == 124_439_808
    assert model_family("llama").uniform(32) is None  # multiple_of makes it piecewise


@pytest.mark.parametrize(
    ("model", "arguments"),
    [
        ("tests.builders:piecewise", {"multiple_of": 8}),
        ("resmlp", {"inputs": 5, "outputs": 3, "expansion": 1}),
        ("gpt", {"vocab_size": 11, "context": 3, "head_size": 2}),
    ],
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    budget=st.integers(100, 30_000),
    depths=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    step_factor=st.integers(1, 3),
    under=st.booleans(),
    high=st.none() | st.integers(20, 60),
)
def test_solver_agrees_with_a_scan_of_the_grid(
    model: str,
    arguments: dict[str, int],
    budget: int,
    depths: list[int],
    step_factor: int,
    under: bool,
    high: int | None,
) -> None:
    family = model_family(model, arguments)
    step = family.width_multiple * step_factor
    if any(family.count(depth, step) > budget for depth in depths):
        with pytest.raises(IsoparamError, match="too small"):
            grid_family(family, budget, depths, width_step=step, max_width=high, under=under)
        return
    result = grid_family(family, budget, depths, width_step=step, max_width=high, under=under)
    for row in result.rows:
        grid = range(step, (high or 10**9) + 1, step)
        counts = []
        for width in grid:
            counts.append((family.count(row.depth, width), width))
            if counts[-1][0] > budget:
                break
        if under:
            expected = max(width for count, width in counts if count <= budget)
        else:
            expected = min(counts, key=lambda pair: (abs(pair[0] - budget), pair[1]))[1]
        assert row.width == expected
        assert row.params == family.count(row.depth, row.width)
        assert row.deviation == row.params - budget
        assert row.status in ("exact", "under" if under else "closest")
        below, above = row.certificate.below, row.certificate.above
        assert below is not None
        assert below[1] <= budget
        assert above is None or (above[0] == below[0] + step and above[1] > budget)


@pytest.mark.parametrize(
    ("model", "arguments"),
    [
        ("tests.builders:piecewise", {"multiple_of": 3}),
        ("gpt", {"vocab_size": 11, "context": 3, "head_size": 2}),
        ("llama", {"vocab_size": 11, "head_size": 2, "multiple_of": 4}),
    ],
)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    near=st.integers(2, 6),
    percent=st.integers(-25, 25),
    depth=st.integers(1, 3),
    fine_step=st.integers(1, 3),
    under=st.booleans(),
)
def test_fine_knob_agrees_with_a_scan_of_every_pair(
    model: str,
    arguments: dict[str, int],
    near: int,
    percent: int,
    depth: int,
    fine_step: int,
    under: bool,
) -> None:
    """Every (width, ffn) pair of the grid is counted; the width is the best with the
    builder's own ffn, then ffn the best at that width: the largest value at or under the
    budget, or the smallest over it when its count is closer (a count that several values
    share, as rounding makes, is reached by the largest under and the smallest over)."""
    family = model_family(model, arguments)
    step = family.width_multiple
    budget = family.count(depth, near * step) * (100 + percent) // 100
    widths = range(step, 8 * step + 1, step)
    values = range(fine_step, 72, fine_step)
    table = {(w, f): family.with_option("ffn", f).count(depth, w) for w in widths for f in values}

    def best(pairs: list[tuple[int, int]]) -> int | None:  # (count, value) -> value
        if under:
            return max((value for count, value in pairs if count <= budget), default=None)
        return min(pairs, key=lambda pair: (abs(pair[0] - budget), pair[1]))[1]

    kwargs = {"width_step": step, "under": under, "fine": "ffn", "fine_step": fine_step}
    if family.count(depth, step) > budget:
        with pytest.raises(IsoparamError, match="too small"):
            grid_family(family, budget, [depth], **kwargs)  # type: ignore[arg-type]
        return
    width = best([(family.count(depth, w), w) for w in widths])
    if width is None or family.count(depth, widths[-1]) <= budget:  # off the scanned grid
        return
    scan = [(table[width, f], f) for f in values]
    if scan[-1][0] <= budget:
        return
    floor = max((f for count, f in scan if count <= budget), default=None)
    over = min(f for count, f in scan if count > budget)
    expected = floor
    if not under and (floor is None or table[width, over] - budget < budget - table[width, floor]):
        expected = over
    if expected is None:
        with pytest.raises(IsoparamError, match="no value of ffn keeps"):
            grid_family(family, budget, [depth], **kwargs)  # type: ignore[arg-type]
        return
    row = grid_family(family, budget, [depth], **kwargs).rows[0]  # type: ignore[arg-type]
    assert (row.width, row.fine_value, row.fine_name) == (width, expected, "ffn")
    assert row.params == table[width, expected] == row.deviation + budget
    assert row.status == ("exact" if row.deviation == 0 else "under" if under else "closest")
    proof = row.fine_certificate
    assert proof is not None
    assert proof.above is not None
    assert proof.above[1] > budget
    assert proof.above == (proof.above[0], table[width, proof.above[0]])
    if proof.below is not None:
        assert proof.below == (proof.above[0] - fine_step, table[width, proof.below[0]])
        assert proof.below[1] <= budget
    else:
        assert proof.above[0] == fine_step


def test_fine_knob_brings_gpt_within_a_hair() -> None:
    budget = 125 * 10**6
    plain = grid_family("gpt", budget, "3,6", model_args={"vocab_size": 50304})
    tuned = grid_family("gpt", budget, "3,6", model_args={"vocab_size": 50304}, fine="ffn")
    assert [row.width for row in plain.rows] == [row.width for row in tuned.rows]
    for row in tuned.rows:
        assert abs(row.relative_deviation) < Fraction(2, 10_000)
        assert row.builds == 6  # 2 for the width, 2 to fit the knob's line, 2 to prove it
        assert row.fine_ratio == Fraction(row.fine_value or 0, row.width)
    assert max(abs(row.relative_deviation) for row in plain.rows) > Fraction(1, 100)
    models = isoparam.to_torch(tuned, device="meta")
    for row in tuned.rows:
        assert sum(p.numel() for p in models[row.depth].parameters()) == row.params
    again = isoparam.from_json(isoparam.to_json(tuned), recount_models=True)
    assert again == tuned


def test_fine_knob_not_monotone_or_ignored() -> None:
    family = model_family("tests.builders:knob_shrinking")
    budget = family.with_option("ffn", 10).count(2, 6) + 1  # ffn 10 even, 11 odd: shrinks
    row = grid_family(family, budget, [2], width_step=6, max_width=6, fine="ffn").rows[0]
    assert (row.fine_value, row.status) == (10, "not proven")
    with pytest.raises(IsoparamError, match="does not grow with ffn"):
        grid_family("tests.builders:ignores", 10_000, [2], fine="ffn")
    with pytest.raises(IsoparamError, match="not an integer argument of gpt"):
        grid_family("gpt", 10**8, [2], fine="bias")
    with pytest.raises(IsoparamError, match="needs a knob"):
        grid_family("gpt", 10**8, [2], fine_step=64)
    with pytest.raises(IsoparamError, match="the count stops growing with ffn"):
        grid_family("tests.builders:capped", 10**4, [1], max_width=8, fine="ffn")


def test_prediction_makes_two_builds_per_depth() -> None:
    result = grid_family("gpt", 7 * 10**9, "2-12")
    assert {row.builds for row in result.rows} == {2}
    assert result.fit_builds == 6
    assert all(row.width % 64 == 0 for row in result.rows)
    assert result.proven  # a monotone family is never flagged


def test_piecewise_family_falls_back_to_galloping() -> None:
    result = grid_family("llama", 7 * 10**9, "30-33")
    assert all(row.status == "closest" for row in result.rows)
    family = model_family("llama")
    for row in result.rows:
        below, above = row.certificate.below, row.certificate.above
        assert below is not None
        assert above is not None
        assert family.count(row.depth, below[0]) <= 7 * 10**9 < family.count(row.depth, above[0])


def test_a_shrinking_tensor_is_not_proven() -> None:
    family = model_family("tests.builders:shrinking")
    # width 8 has 2 heads (even), width 12 has 3 (odd): the key/value tensor shrinks.
    budget = family.count(2, 8) + 1
    row = grid_family(family, budget, [2], width_step=4).rows[0]
    assert row.certificate.below == (8, family.count(2, 8))
    assert row.status == "not proven"
    assert "not proven: at depth 2" in isoparam.render(
        grid_family(family, budget, [2], width_step=4)
    )


def test_lazy_modules_need_an_input_shape() -> None:
    with pytest.raises(IsoparamError, match="lazy modules"):
        model_family("tests.builders:lazy").count(2, 8)
    family = model_family("tests.builders:lazy", input_shape=[1, 5])
    assert family.count(2, 8) == (5 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)
    assert family.census(2, 8).audit.lazy


def test_a_builder_that_escapes_the_meta_device() -> None:
    with pytest.raises(IsoparamError, match="escaped the meta device"):
        model_family("tests.builders:escaping").count(1, 4)


@pytest.mark.parametrize(
    ("model", "arguments", "message"),
    [
        ("tests.builders:failing", {}, "failed at depth 1, width 3: ValueError"),
        ("tests.builders:not_a_module", {}, "not a torch.nn.Module"),
        ("tests.builders:missing", {}, "no callable 'missing'"),
        ("no_such_module_here:build", {}, "cannot import"),
        ("gpt", {"heads": 12}, "has no argument 'heads'"),
        ("gpt", {"vocab_size": 1.5}, "takes a value like 50257"),
        ("bert", {}, "unknown model 'bert'"),
    ],
)
def test_clear_errors(model: str, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(IsoparamError, match=message):
        model_family(model, arguments).count(1, 3)  # type: ignore[arg-type]


def test_initialisation_is_restored() -> None:
    normal = nn.init.normal_
    reset = nn.Linear.reset_parameters
    with pytest.raises(IsoparamError):
        model_family("tests.builders:failing").count(1, 3)
    model_family("resmlp").count(1, 8)
    assert nn.init.normal_ is normal
    assert nn.Linear.reset_parameters is reset


def test_width_rules() -> None:
    with pytest.raises(IsoparamError, match="multiple of 64"):
        count_model("gpt", 12, 700)
    with pytest.raises(IsoparamError, match="width step 100 is not a multiple of 64"):
        grid_family("gpt", 10**8, "12", width_step=100)
    with pytest.raises(IsoparamError, match="too small for depth 12"):
        grid_family("gpt", 10**6, "12")


def test_model_args_are_typed() -> None:
    assert parse_model_arg("tied=false") == ("tied", False)
    assert parse_model_arg("ffn_multiplier=1.3") == ("ffn_multiplier", 1.3)
    with pytest.raises(IsoparamError, match="KEY=VALUE"):
        parse_model_arg("tied")


def test_import_does_not_import_torch() -> None:
    code = "import sys, isoparam; isoparam.model_family('gpt'); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_json_round_trip_and_recount() -> None:
    result = grid_family("resmlp", 50_000, "1-3", model_args={"expansion": 1})
    document = isoparam.to_json(result)
    assert document["kind"] == "model_family"
    assert isoparam.from_json(document) == result
    assert isoparam.from_json(json.loads(json.dumps(document)), recount_models=True) == result
    document["architectures"][0]["params"] += 1
    document["architectures"][0]["deviation"] += 1
    with pytest.raises(IsoparamError, match="but it has"):
        isoparam.from_json(document, recount_models=True)
    counted = count_model("gpt", 2, 64, count="non-embedding")
    assert isoparam.from_json(isoparam.to_json(counted), recount_models=True) == counted


def test_every_view_renders() -> None:
    result = grid_family("resnet", 300_000, "2-3", width_step=2)
    assert isoparam.formats_for(type(result)) == (
        "table",
        "json",
        "csv",
        "markdown",
        "html",
        "torch",
    )
    for fmt in isoparam.formats_for(type(result)):
        assert str(result.rows[0].params) in isoparam.render(result, fmt)
    csv_text = isoparam.render(result, "csv")
    assert csv_text.splitlines()[0].startswith("depth,width,params,deviation")


def test_to_torch_builds_the_family() -> None:
    result = grid_family("resnet", 100_000, "1-2", width_step=2)
    models = isoparam.to_torch(result, device="meta")
    for row in result.rows:
        assert sum(p.numel() for p in models[row.depth].parameters()) == row.params


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_params_of_a_model(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run("params --model gpt --depth 12 --width 768".split(), capsys)
    assert status == 0
    assert "124439808" in out
    argv = "params --model gpt --depth 12 --width 768 --count non-embedding --format json"
    status, out, _ = run(argv.split(), capsys)
    assert json.loads(out)["params"] == 85_056_000
    status, out, _ = run("params 784 128 10".split(), capsys)
    assert (status, "101770" in out) == (0, True)


def test_cli_family_of_a_model(capsys: pytest.CaptureFixture[str]) -> None:
    argv = "family --model resmlp --model-arg expansion=1 --params 1e5 --depths 2-3 --format json"
    status, out, err = run(argv.split(), capsys)
    document = json.loads(out)
    assert (status, err) == (0, "")
    family = model_family("resmlp", {"expansion": 1})
    for row in document["architectures"]:
        assert row["params"] == family.count(row["depth"], row["width"])
        assert row["deviation"] == row["params"] - 100_000
        assert row["certificate"]["next_width"] == row["certificate"]["width"] + 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ("family --params 1000 --depths 2", "needs --inputs and --outputs"),
        ("family --model gpt --inputs 5 --params 1e8 --depths 2", "--inputs apply to --model mlp"),
        ("family --model gpt --no-bias --params 1e8 --depths 2", "--no-bias apply"),
        ("family --model gpt --tolerance 1% --params 1e8 --depths 2", "--tolerance apply"),
        (
            "family --inputs 4 --outputs 2 --under --width-step 4 --params 1e3 --depths 2 "
            "--max-spread 1",
            "--width-step takes equal widths",
        ),
        ("params 4 8 2 --model-arg a=1", "--model-arg apply to PyTorch models"),
        ("params --model gpt --depth 2", "needs --depth L and --width W"),
        ("params --model gpt 4 8 2 --depth 2 --width 64", "SIZE arguments apply"),
        ("params", "give the layer sizes"),
        ("params --model gpt --depth 2 --width 64 --format torch", "cannot be written"),
        ("family --model gpt --params 1e8 --depths 2 --model-arg x", "KEY=VALUE"),
        ("family --model gpt --params 1e8 --depths 2 --fine-step 4", "give --fine too"),
        ("family --inputs 4 --outputs 2 --params 1e3 --depths 2 --fine ffn", "--fine apply"),
    ],
)
def test_cli_refuses(argv: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        status = main(argv.split())
    except SystemExit as stop:  # argparse's own usage errors
        status = int(str(stop.code))
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("error:")
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", sorted(MODELS))
def test_format_torch_writes_a_module_that_rebuilds_the_family(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs_transformers(name)
    arguments, depth, width = SMALL[name]
    family = model_family(name, arguments, count="non-embedding", exclude=["*norm*"])
    fine = "ffn" if MODELS[name].fine else None
    budget = family.count(depth + 1, width)
    result = grid_family(family, budget, [depth, depth + 1], fine=fine)
    path = tmp_path / "exported.py"
    path.write_text(isoparam.render(result, "torch"), encoding="utf-8")
    module = runpy.run_path(str(path), run_name="__main__")  # asserts every count
    out = capsys.readouterr().out
    for row in result.rows:
        assert f"depth {row.depth}: {row.params} parameters, as isoparam counted" in out
        model = module["build"](row.depth)  # on torch's default device, initialised
        assert torch_count(model, "non-embedding", ("*norm*",)) == row.params
        assert module["MEMBERS"][row.depth] == (row.width, row.fine_value)
    with pytest.raises(IsoparamError, match="writes the built-in models"):
        isoparam.render(grid_family("tests.builders:shared", 100, [2]), "torch")


def test_family_takes_a_model() -> None:
    resmlp = model_family("resmlp", {"inputs": 5, "outputs": 3, "expansion": 1})
    direct = grid_family(resmlp, 4_000, "1-3", under=True)
    assert isoparam.family(model=resmlp, params=4_000, depths="1-3", under=True) == direct
    named = isoparam.family(model="resnet", params=60_000, depths=[1], width_step=2)
    assert named == grid_family("resnet", 60_000, [1], width_step=2)
    with pytest.raises(IsoparamError, match=r"not inputs, tolerance \(MLP options\)"):
        isoparam.family(5, model=resmlp, params=4_000, depths="1", tolerance="1%")  # type: ignore[call-overload]
    with pytest.raises(IsoparamError, match="needs params and depths"):
        isoparam.family(model=resmlp, depths="1")  # type: ignore[call-overload]
    with pytest.raises(IsoparamError, match="fine applies to a model"):
        isoparam.family(5, 3, 4_000, "1", fine="ffn")  # type: ignore[call-overload]
    with pytest.raises(IsoparamError, match="a model's count is known only at the widths"):
        isoparam.common_budget(model=resmlp, depths="1-2")
    with pytest.raises(IsoparamError, match="needs inputs, outputs and depths"):
        isoparam.common_budget(depths="1-2")


def test_torch_family_is_an_architecture_family() -> None:
    assert isinstance(model_family("gpt"), isoparam.ArchitectureFamily)
    assert isinstance(TorchFamily("tests.builders:shared"), isoparam.ArchitectureFamily)


DOCS = Path(__file__).parent.parent / "docs" / "models.md"


def doc_examples() -> list[tuple[str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


@pytest.mark.parametrize(("command", "expected"), doc_examples())
def test_docs_show_real_output(
    command: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(command)
    assert main(argv[1:]) == 0
    out, err = capsys.readouterr()
    assert out + err == expected


def test_docs_python_examples() -> None:
    failures, _ = doctest.testfile(str(DOCS), module_relative=False)
    assert failures == 0


def test_model_families_refuse_what_torch_cannot_build_at_once() -> None:
    with pytest.raises(IsoparamError, match="at most 2\\^62"):
        grid_family("resnet", 10**19, "2")
    with pytest.raises(IsoparamError, match="depth must be at most 1000"):
        grid_family("resnet", 10**6, "1001")
    with pytest.raises(IsoparamError, match="failed at depth 2") as error:
        count_model("gpt", 2, 10**12)  # torch's own overflow, its C++ stack cut off
    assert "\n" not in str(error.value)
