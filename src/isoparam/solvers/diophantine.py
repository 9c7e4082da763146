"""Integer solutions of ``x^2 - D*y^2 = N``, the equation behind common budgets.

Everything here is exact integer arithmetic (``math.isqrt``). Solutions are returned as
non-negative pairs ``(x, y)``; the caller filters congruences.

- ``D`` not a square, ``N != 0``: the solutions fall into finitely many classes, each an
  orbit ``(x + y*sqrt(D)) * u^n`` of the fundamental unit ``u`` (the least solution of
  ``x^2 - D*y^2 = 1``, from the continued fraction of ``sqrt(D)``). Nagell's bounds limit
  the class representatives to ``y`` below ``y1*sqrt(|N| / (2*(x1 +- 1)))``.
- ``D = r^2``: ``(x - r*y)(x + r*y) = N`` has finitely many solutions (``N != 0``), one per
  factorisation of ``N``.
- ``N = 0``: only ``x = r*y`` when ``D = r^2`` (a whole line of solutions), else none.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from isoparam.errors import IsoparamError

REPRESENTATIVE_LIMIT = 2_000_000
"""The most class representatives' ``y`` values :func:`solutions` will scan."""


def fundamental_unit(d: int) -> tuple[int, int]:
    """The least ``(x, y)`` with ``y > 0`` and ``x^2 - d*y^2 = 1`` (``d`` not a square).

    >>> fundamental_unit(61)
    (1766319049, 226153980)
    """
    root = math.isqrt(d)
    m, q, a = 0, 1, root
    p_prev, p = 1, root
    r_prev, r = 0, 1
    while p * p - d * r * r != 1:
        m = q * a - m
        q = (d - m * m) // q
        a = (root + m) // q
        p_prev, p = p, a * p + p_prev
        r_prev, r = r, a * r + r_prev
    return p, r


def representative_bound(d: int, n: int) -> int:
    """Nagell's bound on ``y`` of the class representatives of ``x^2 - d*y^2 = n``."""
    x1, y1 = fundamental_unit(d)
    denominator = 2 * (x1 + 1) if n > 0 else 2 * (x1 - 1)
    # y1 * sqrt(|n| / denominator), rounded up.
    return math.isqrt(-(-y1 * y1 * abs(n) // denominator)) + 1


def solutions(d: int, n: int, x_limit: int) -> list[tuple[int, int]]:
    """Every ``(x, y)`` with ``x, y >= 0``, ``x <= x_limit`` and ``x^2 - d*y^2 = n``, sorted.

    ``d > 0`` and ``n != 0`` (the line ``n = 0`` is the caller's business).

    >>> solutions(2, -1, 100)
    [(1, 1), (7, 5), (41, 29)]
    """
    if n == 0:
        raise ValueError("n = 0 has a line of solutions, not a list")
    root = math.isqrt(d)
    square = root * root == d
    found = _square_solutions(root, n) if square else _orbit_solutions(d, n, x_limit)
    return sorted(pair for pair in found if pair[0] <= x_limit)


def _orbit_solutions(d: int, n: int, x_limit: int) -> set[tuple[int, int]]:
    bound = representative_bound(d, n)
    if bound > REPRESENTATIVE_LIMIT:
        raise IsoparamError(
            f"the Pell equation x^2 - {d}*y^2 = {n} needs {bound} trial values; "
            "that is beyond this search"
        )
    unit = fundamental_unit(d)
    found: set[tuple[int, int]] = set()
    for y in range(bound + 1):
        square = n + d * y * y
        if square < 0:
            continue
        x = math.isqrt(square)
        if x * x != square:
            continue
        for sx in (x, -x):
            for sy in (y, -y):
                found.update(_orbit(sx, sy, d, unit, x_limit))
    return found


def _orbit(
    x: int, y: int, d: int, unit: tuple[int, int], x_limit: int
) -> Iterator[tuple[int, int]]:
    """``|coordinates|`` of ``(x + y*sqrt(d)) * unit^k``, ``k = 0, 1, ...``, up to the limit.

    ``|x|`` may dip over the first steps and then grows by about the unit each step, so
    the walk stops once it has been beyond the limit twice in a row after three steps.
    """
    ux, uy = unit
    beyond = step = 0
    while beyond < 2 or step < 3:
        if abs(x) <= x_limit:
            beyond = 0
            yield abs(x), abs(y)
        else:
            beyond += 1
        x, y = x * ux + d * y * uy, x * uy + y * ux
        step += 1


def _square_solutions(root: int, n: int) -> set[tuple[int, int]]:
    """``(x - root*y)(x + root*y) = n``: one candidate per divisor pair of ``n``."""
    found: set[tuple[int, int]] = set()
    for small in divisors(abs(n)):
        large = abs(n) // small
        for low, high in ((small, large), (-large, -small)) if n > 0 else ((-small, large),):
            if (low + high) % 2 or (high - low) % (2 * root):
                continue
            x, y = (low + high) // 2, (high - low) // (2 * root)
            if x >= 0 and y >= 0:
                found.add((x, y))
    return found


def divisors(n: int) -> list[int]:
    """The positive divisors of ``n >= 1``, ascending.

    >>> divisors(36)
    [1, 2, 3, 4, 6, 9, 12, 18, 36]
    """
    result = [1]
    for prime, power in factorize(n).items():
        result = [d * prime**e for d in result for e in range(power + 1)]
    return sorted(result)


def factorize(n: int) -> dict[int, int]:
    """The prime factorisation of ``n >= 1``: trial division, then Pollard's rho."""
    factors: dict[int, int] = {}
    for prime in (2, 3, 5):
        while n % prime == 0:
            factors[prime] = factors.get(prime, 0) + 1
            n //= prime
    step, candidate = 0, 7
    gaps = (4, 2, 4, 2, 4, 6, 2, 6)
    while candidate * candidate <= n and candidate < 10_000:
        while n % candidate == 0:
            factors[candidate] = factors.get(candidate, 0) + 1
            n //= candidate
        candidate += gaps[step % 8]
        step += 1
    stack = [n] if n > 1 else []
    while stack:
        value = stack.pop()
        if _is_probable_prime(value):
            if value >= CERTAIN_PRIME_LIMIT:
                raise IsoparamError(
                    f"cannot certify that {value} is prime, so the common budgets "
                    "it governs cannot be listed with certainty"
                )
            factors[value] = factors.get(value, 0) + 1
            continue
        split = _pollard_rho(value)
        stack.extend((split, value // split))
    return dict(sorted(factors.items()))


CERTAIN_PRIME_LIMIT = 3_317_044_064_679_887_385_961_981
"""Below this, Miller-Rabin with the first 12 primes as bases is a proof of primality."""


def _is_probable_prime(n: int) -> bool:
    """Miller-Rabin with the first 20 primes as bases: a proof below the limit above."""
    if n < 2:
        return False
    bases = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)
    for prime in bases:
        if n % prime == 0:
            return n == prime
    odd, twos = n - 1, 0
    while odd % 2 == 0:
        odd, twos = odd // 2, twos + 1
    for base in bases:
        x = pow(base, odd, n)
        if x in (1, n - 1):
            continue
        for _ in range(twos - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _pollard_rho(n: int) -> int:
    """A nontrivial factor of the composite ``n`` (Brent's variant, seeded: deterministic)."""
    if n % 2 == 0:
        return 2
    generator = random.Random(n)
    while True:
        c = generator.randrange(1, n)
        x = y = generator.randrange(2, n)
        factor = 1
        while factor == 1:
            x = (x * x + c) % n
            y = (y * y + c) % n
            y = (y * y + c) % n
            factor = math.gcd(abs(x - y), n)
        if factor != n:
            return factor
