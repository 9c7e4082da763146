"""PyTorch models, the standalone module, pandas, JSON round trips, HTML and plots."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import isoparam
from isoparam import (
    NORMS,
    IsoparamError,
    breakdown,
    count_params,
    family,
    from_json,
    render,
    to_json,
)
from isoparam.cli import main
from tests.reference import reference_count

ACTIVATIONS = ["relu", "gelu", "silu", "tanh", "sigmoid", "elu", "leaky_relu", "identity"]
shapes = st.lists(st.integers(1, 40), min_size=2, max_size=6)


def torch_count(model: torch.nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dropout", [0.0, 0.25])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_torch_counts_what_isoparam_counts(
    norm: str, bias: bool, dropout: float, activation: str
) -> None:
    fam = family(20, 3, 5000, "1-4", bias=bias, norm=norm)
    models = isoparam.to_torch(fam, activation=activation, dropout=dropout)
    assert sorted(models) == [1, 2, 3, 4]
    for arch in fam.architectures:
        assert torch_count(models[arch.depth]) == arch.params
        assert torch_count(models[arch.depth]) == reference_count(arch.sizes, bias, norm)


NORM_VARIANTS = [
    (norm, norm_bias, norm_affine)
    for norm in NORMS
    for norm_bias in (True, False)
    for norm_affine in (True, False)
    if (norm_bias or (norm == "layer" and norm_affine)) and (norm_affine or norm != "none")
]


@settings(max_examples=60, deadline=None)
@given(shapes, st.booleans(), st.sampled_from(NORM_VARIANTS))
def test_torch_counts_any_shape(
    sizes: list[int], bias: bool, variant: tuple[str, bool, bool]
) -> None:
    norm, norm_bias, norm_affine = variant
    result = breakdown(sizes, bias=bias, norm=norm, norm_bias=norm_bias, norm_affine=norm_affine)
    model = isoparam.to_torch(result, device="meta")
    assert torch_count(model) == result.total
    assert result.total == reference_count(sizes, bias, norm, norm_bias, norm_affine)


def test_every_norm_variant_is_covered_and_the_others_refused() -> None:
    # none; layer, batch, rms, each with and without affine parameters; LayerNorm without bias
    assert len(NORM_VARIANTS) == 8
    assert count_params([784, 87, 87, 87, 87, 87, 10], norm="rms") == 100_234
    assert count_params([784, *[87] * 5, 10], norm="layer", norm_bias=False) == 100_234
    for norm, norm_bias, norm_affine in [
        ("batch", False, True),
        ("rms", False, True),
        ("none", True, False),
        ("layer", False, False),
    ]:
        with pytest.raises(IsoparamError):
            count_params([3, 4, 5], norm=norm, norm_bias=norm_bias, norm_affine=norm_affine)


def test_meta_device_counts_a_huge_family_without_memory() -> None:
    fam = family(784, 10, 10**12, "2-4")
    models = isoparam.to_torch(fam, device="meta")
    for arch in fam.architectures:
        assert all(parameter.is_meta for parameter in models[arch.depth].parameters())
        assert torch_count(models[arch.depth]) == arch.params


def test_bad_torch_options_are_refused() -> None:
    fam = family(20, 3, 5000, "2")
    with pytest.raises(IsoparamError, match="relu, gelu"):
        isoparam.to_torch(fam, activation="swish")
    with pytest.raises(IsoparamError, match="dropout"):
        isoparam.to_torch(fam, dropout=1.0)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("bias", [True, False])
def test_exported_module_builds_trains_and_counts(norm: str, bias: bool, tmp_path: Path) -> None:
    fam = family(12, 3, 3000, "1-3,6", bias=bias, norm=norm)
    source = render(fam, "torch")
    assert "isoparam" not in source.split('"""')[2]  # only the docstring names isoparam
    path = tmp_path / "family_models.py"
    path.write_text(source, encoding="utf-8")
    module = load_module(path)
    library = isoparam.to_torch(fam, activation="gelu", dropout=0.1)
    for arch in fam.architectures:
        model = module.build(arch.depth, activation=torch.nn.GELU, dropout=0.1)
        assert str(model) == str(library[arch.depth])
        assert torch_count(model) == arch.params == module.PARAMS[arch.depth]
        output = model(torch.randn(5, 12))
        assert output.shape == (5, 3)
        output.sum().backward()  # the model trains: gradients flow to every parameter
        assert all(parameter.grad is not None for parameter in model.parameters())


def test_exported_module_runs_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "models.py"
    path.write_text(render(family(784, 10, 100_000, "5-12"), "torch"), encoding="utf-8")
    # -I: isolated mode, no user site-packages and no current directory on the path.
    result = subprocess.run(
        [sys.executable, "-I", str(path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("as isoparam counted") == 8


def test_cli_writes_the_module(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["params", "6", "5", "4", "--norm", "batch", "--format", "torch"]) == 0
    path = tmp_path / "one.py"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    module = load_module(path)
    assert torch_count(module.build(2 - 1)) == reference_count([6, 5, 4], True, "batch")


def test_dataframe_has_one_row_per_depth() -> None:
    fam = family(784, 10, 100_000, "5-12")
    frame = isoparam.to_pandas(fam)
    assert list(frame["depth"]) == list(range(5, 13))
    assert list(frame["params"]) == [arch.params for arch in fam.architectures]
    assert frame["params"].sum() == sum(arch.params for arch in fam.architectures)
    layers = isoparam.to_pandas(breakdown([784, 128, 10]))
    assert layers["total"].sum() == isoparam.count_params([784, 128, 10])


@given(
    inputs=st.integers(1, 1000),
    outputs=st.integers(1, 1000),
    budget=st.integers(10**4, 10**40),
    depths=st.sets(st.integers(1, 12), min_size=1, max_size=4),
    bias=st.booleans(),
    norm=st.sampled_from(NORMS),
    tolerance=st.one_of(st.none(), st.fractions(0, 1)),
)
def test_json_round_trip_is_lossless(
    inputs: int,
    outputs: int,
    budget: int,
    depths: set[int],
    bias: bool,
    norm: str,
    tolerance: Fraction | None,
) -> None:
    try:
        fam = family(inputs, outputs, budget, depths, bias=bias, norm=norm, tolerance=tolerance)
    except IsoparamError:
        return  # a budget too small for some depth
    assert from_json(json.loads(render(fam, "json"))) == fam


def test_json_round_trip_of_a_shape() -> None:
    shape = breakdown([784, 128, 10], norm="layer")
    assert from_json(to_json(shape)) == shape


def test_edited_json_is_refused() -> None:
    document = to_json(family(784, 10, 100_000, "5"))
    document["architectures"][0]["widths"][0] += 1
    with pytest.raises(IsoparamError, match="parameters for shape"):
        from_json(document)
    with pytest.raises(IsoparamError, match="not an isoparam JSON"):
        from_json({"sizes": [1, 2]})


def test_jupyter_shows_tables() -> None:
    html = family(784, 10, 100_000, "5-12")._repr_html_()  # type: ignore[attr-defined]
    assert html.count("<tr>") == 1 + 8  # heading and one row per depth
    assert "99799" in html
    assert "<table>" in breakdown([3, 4, 5])._repr_html_()  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_a_real_picture(suffix: str, tmp_path: Path) -> None:
    fam = family(784, 10, 100_000, "5-12", tolerance="1%")
    path = isoparam.plot(fam, tmp_path / f"family{suffix}")
    data = path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000
    else:
        root = ElementTree.fromstring(data)
        text = "".join(root.itertext())
        for arch in fam.architectures:
            assert f"depth {arch.depth}" in text
            assert f"{arch.deviation:+d}" in text
            assert str(arch.widths[0]) in text


def test_cli_plot_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "fam.svg"
    argv = "family --inputs 784 --outputs 10 --params 100000 --depths 5-12 --plot".split()
    assert main([*argv, str(target)]) == 0
    assert target.stat().st_size > 10_000
    capsys.readouterr()
    for bad in (tmp_path / "fam.pdf", tmp_path / "no" / "such" / "folder.png"):
        # Refused before any work, so nothing is computed and then lost.
        assert main([*argv, str(bad)]) == 2
        out, err = capsys.readouterr()
        assert (out, err.count("\n")) == ("", 1)
        assert err.startswith("error: argument --plot: cannot plot to")


def test_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(IsoparamError, match=r"pip install -e '\.\[plot\]'"):
        isoparam.plot(family(784, 10, 100_000, "5"), "x.png")


def test_budget_plot_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "budget.svg"
    argv = "budget --inputs 4 --outputs 3 --depths 2-3 --no-bias --plot".split()
    assert main([*argv, str(target)]) == 0
    text = "".join(ElementTree.fromstring(target.read_bytes()).itertext())
    assert "depth 2" in text
    assert "budget 60" in text
