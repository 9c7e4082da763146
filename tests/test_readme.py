"""The README shows real commands with their real output, and CI runs its test command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from isoparam.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def console_examples() -> list[tuple[str, str]]:
    """(command, output) pairs: ``$ isoparam ...`` lines in console blocks of the README and
    of docs/, and the first screen's install-and-run command followed by its ``text`` block."""
    examples = []
    texts = [README, *(path.read_text(encoding="utf-8") for path in DOCS)]
    blocks = [b for text in texts for b in re.findall(r"```console\n(.*?)```", text, re.S)]
    for block in blocks:
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    first = re.search(r"```bash\n.*?&& (isoparam [^\n]*)\n```\n\n```text\n(.*?)```", README, re.S)
    assert first is not None, "the first screen must show a command and its output"
    examples.append((first.group(1), first.group(2)))
    return examples


@pytest.mark.parametrize(("command", "expected"), console_examples())
def test_readme_output_is_real(
    command: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(command)
    assert argv[0] == "isoparam"
    main(argv[1:])
    out, err = capsys.readouterr()
    assert out + err == expected


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```bash\n(.*?)\n```", README)
    test_command = next(command for command in commands if "pytest" in command)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def public_functions() -> list[str]:
    import inspect

    import isoparam

    return [
        name
        for name in isoparam.__all__
        if inspect.isfunction(getattr(isoparam, name))
        or hasattr(getattr(isoparam, name), "dispatch")  # singledispatch verbs
    ]


@pytest.mark.parametrize("name", public_functions())
def test_public_functions_document_parameters_returns_raises_and_an_example(name: str) -> None:
    import inspect

    import isoparam

    doc = inspect.getdoc(getattr(isoparam, name)) or ""
    for section in ("Parameters\n----------", "Returns\n-------", "Raises\n------", ">>> "):
        assert section in doc, f"isoparam.{name}'s docstring lacks {section.splitlines()[0]!r}"


def test_no_text_file_keeps_merge_conflict_markers() -> None:
    marker = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)
    paths = [
        path
        for folder in ("src", "tests", "docs", "benchmarks")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".md", ".toml", ".txt"}
    ]
    paths += [ROOT / "README.md", ROOT / "pyproject.toml"]
    assert [str(p) for p in paths if marker.search(p.read_text(encoding="utf-8"))] == []
