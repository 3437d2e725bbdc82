"""A create's missing-field error names the field as the create sends it."""

from __future__ import annotations

import pytest

from auvo.testing import FakeAuvo
from sdkcore import RequestValidationError


def test_a_customer_created_without_a_name_is_refused_naming_name() -> None:
    client = FakeAuvo().client()
    with pytest.raises(RequestValidationError) as refused:
        client.customers.create({"address": "Rua A, 1"})
    assert refused.value.field == "name"
