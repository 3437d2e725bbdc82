from __future__ import annotations

import pytest

from contaazul.__main__ import main


def test_demo_walkthrough(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "bank accounts: BB, Caixinha" in out
    assert "payable 1330.00" in out
    assert "Parcela 1:" in out
    assert "Parcela 3:" in out
    assert "['Maria Souza']" in out  # only the customer created after the moment
    assert "monthly sales by customer" in out
    assert "revenues by category" in out
