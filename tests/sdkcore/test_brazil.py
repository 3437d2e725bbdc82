"""CPF and CNPJ check digits (numeric and the 2026 alphanumeric CNPJ), and the error a write
raises naming the field."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, strategies as st

from sdkcore import RequestValidationError, SDKError
from sdkcore.brazil import (
    check_tax_id,
    cnpj_check_digits,
    cpf_check_digits,
    is_cnpj,
    is_cpf,
)
from sdkcore.testing.documents import random_cnpj, random_cpf


@pytest.mark.parametrize(
    "text", ["123.456.789-09", "12345678909", " 529.982.247-25 ", "99214820686"]
)
def test_valid_cpfs_with_or_without_punctuation(text: str) -> None:
    assert is_cpf(text)


@pytest.mark.parametrize(
    "text",
    [
        "123.456.789-10",  # the Bling spec's own example: wrong check digits
        "12345678900",
        "111.111.111-11",  # same digit eleven times: the digits check, the number is not real
        "00000000000",
        "1234567890",  # ten digits
        "123456789012",
        "123.456.78A-09",
        "",
    ],
)
def test_invalid_cpfs(text: str) -> None:
    assert not is_cpf(text)


@pytest.mark.parametrize(
    "text",
    [
        "12.345.678/0001-95",
        "11222333000181",
        "90614997000162",  # the Auvo blueprint's example
        "83.575.050/0001-24",  # the Conta Azul spec's example
        "12.ABC.345/01DE-35",  # alphanumeric, from July 2026 (Nota Técnica COCAD/SUARA/RFB 49/2024)
        "12abc34501de35",
    ],
)
def test_valid_cnpjs_numeric_and_alphanumeric(text: str) -> None:
    assert is_cnpj(text)


@pytest.mark.parametrize(
    "text",
    [
        "98.765.432/0001-10",
        "12345678000190",
        "11.111.111/1111-11",
        "00000000000000",
        "12.ABC.345/01DE-36",
        "12.ABC.345/01DE-3A",  # the check digits are always digits
        "1222333000181",
        "12.345.678/0001-9",
    ],
)
def test_invalid_cnpjs(text: str) -> None:
    assert not is_cnpj(text)


def test_check_digits_of_a_body() -> None:
    assert cpf_check_digits("123456789") == "09"
    assert cnpj_check_digits("123456780001") == "95"
    assert cnpj_check_digits("12ABC34501DE") == "35"


@given(st.integers(min_value=0), st.sampled_from([-1, -2]), st.integers(1, 9))
def test_generated_numbers_check_and_a_changed_check_digit_does_not(
    seed: int, where: int, shift: int
) -> None:
    rng = random.Random(seed)
    for number, valid in ((random_cpf(rng), is_cpf), (random_cnpj(rng), is_cnpj)):
        assert valid(number)
        digits = list(number)
        digits[where] = str((int(digits[where]) + shift) % 10)
        assert not valid("".join(digits))


def test_check_tax_id_names_the_field_and_the_kind() -> None:
    with pytest.raises(RequestValidationError) as caught:
        check_tax_id("123.456.789-10", "customer.documentNumber")
    assert caught.value.field == "customer.documentNumber"
    assert "CPF" in caught.value.reason
    assert isinstance(caught.value, SDKError)

    with pytest.raises(RequestValidationError, match="not a valid CNPJ"):
        check_tax_id("123.456.789-09", "doc", "cnpj")  # a good CPF where a CNPJ is due
    with pytest.raises(RequestValidationError, match="not a valid CPF"):
        check_tax_id("12.345.678/0001-95", "doc", "cpf")
    with pytest.raises(
        RequestValidationError, match=r"neither a CPF \(11 digits\) nor a CNPJ \(14 characters\)"
    ):
        check_tax_id("1234", "doc")


def test_check_tax_id_keeps_the_number_out_of_the_message() -> None:
    with pytest.raises(RequestValidationError) as caught:
        check_tax_id("529.982.247-26", "doc")
    assert "529" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("529.982.247-25", "cpf"), ("11.222.333/0001-81", "cnpj"), ("12ABC34501DE35", "cpf_or_cnpj")],
)
def test_check_tax_id_accepts_good_numbers(text: str, kind: str) -> None:
    check_tax_id(text, "doc", kind)  # type: ignore[arg-type]
