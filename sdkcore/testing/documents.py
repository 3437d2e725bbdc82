"""Brazilian tax ids with valid check digits, for fakes that seed varied records."""

from __future__ import annotations

import random
from collections.abc import Sequence

__all__ = ["random_cnpj", "random_cpf"]

_CNPJ_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: Sequence[int], weights: Sequence[int]) -> int:
    rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if rest < 2 else 11 - rest


def random_cpf(rng: random.Random) -> str:
    """A CPF (11 digits, no punctuation) with valid check digits."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    for size in (10, 11):
        digits.append(_check_digit(digits, range(size, 1, -1)))
    return "".join(map(str, digits))


def random_cnpj(rng: random.Random) -> str:
    """A head-office CNPJ (14 digits, branch 0001) with valid check digits."""
    digits = [rng.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    digits.append(_check_digit(digits, _CNPJ_WEIGHTS))
    digits.append(_check_digit(digits, (6, *_CNPJ_WEIGHTS)))
    return "".join(map(str, digits))
