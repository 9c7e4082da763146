"""The architecture-family protocol: what a depth and a width mean for one kind of network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable


@dataclass(frozen=True)
class Quadratic:
    """The count ``k*b^2 + s*b + u`` of a depth-L network whose hidden widths all equal b."""

    k: int
    s: int
    u: int

    def __call__(self, width: int) -> int:
        return (self.k * width + self.s) * width + self.u

    def scaled(self, step: int) -> Quadratic:
        """The same count as a function of ``t``, for widths ``step * t``.

        >>> Quadratic(2, 7, 0).scaled(8)(3) == Quadratic(2, 7, 0)(24)
        True
        """
        return Quadratic(self.k * step * step, self.s * step, self.u)


@runtime_checkable
class ArchitectureFamily(Protocol):
    """A family of networks indexed by depth and width: what the solvers need of it.

    ``count(depth, width)`` is the exact parameter count of the member whose every varying
    size equals ``width``; ``uniform(depth)`` gives the same count as an integer quadratic
    in the width when one exists (the closed-form solvers and the Pell budget search need
    it), else None; ``build`` returns the member as a ``torch.nn.Module`` (torch is
    imported only then). ``describe()`` is the text of table headers, ``arguments()`` the
    settings written to JSON. :class:`isoparam.MLP` is the first implementation.
    """

    name: ClassVar[str]

    def count(self, depth: int, width: int) -> int: ...

    def uniform(self, depth: int) -> Quadratic | None: ...

    def build(self, depth: int, width: int, device: str | None = None) -> Any: ...

    def describe(self) -> str: ...

    def arguments(self) -> dict[str, object]: ...
