"""Brazilian tax ids with valid check digits, for fakes that seed varied records."""

from __future__ import annotations

import random

from ..brazil import cnpj_check_digits, cpf_check_digits

__all__ = ["random_cnpj", "random_cpf"]


def random_cpf(rng: random.Random) -> str:
    """A CPF (11 digits, no punctuation) with valid check digits."""
    body = "".join(str(rng.randint(0, 9)) for _ in range(9))
    return body + cpf_check_digits(body)


def random_cnpj(rng: random.Random) -> str:
    """A head-office CNPJ (14 digits, branch 0001) with valid check digits."""
    body = "".join(str(rng.randint(0, 9)) for _ in range(8)) + "0001"
    return body + cnpj_check_digits(body)
