"""The architecture-family protocol: what a depth and a width mean for one kind of network."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quadratic:
    """The count ``k*b^2 + s*b + u`` of a depth-L network whose hidden widths all equal b."""

    k: int
    s: int
    u: int

    def __call__(self, width: int) -> int:
        return (self.k * width + self.s) * width + self.u
