"""Numbers reach the tool as the decimal (or rational) the user meant."""
import decimal
import fractions

import numpy as np
import pytest

import momentum


def rate(**kw):
    return momentum.rate(method="heavy-ball", eigenvalues=[1, 10], digits=40, **kw)


def test_fraction_is_the_rational():
    assert rate(alpha=fractions.Fraction(4, 121), beta="81/121") == rate(alpha="4/121",
                                                                         beta="81/121")


def test_decimal_is_its_text():
    assert rate(alpha=decimal.Decimal("0.1"), beta=decimal.Decimal("0.5")) == rate(
        alpha="0.1", beta="0.5")


def test_decimal_exponents_and_signs():
    assert rate(alpha=decimal.Decimal("1E-1"), beta=decimal.Decimal("5E-1")) == rate(
        alpha="0.1", beta="0.5")
    assert rate(alpha=fractions.Fraction(-1, 10), beta=0.5) == rate(alpha="-1/10", beta="0.5")


def test_float_is_the_shortest_decimal_of_the_double():
    # 0.1 as a float is the decimal 0.1 (repr), not the double 0.1000000000000000055511...
    assert rate(alpha=0.1, beta=0.5) == rate(alpha="0.1", beta="0.5")
    assert rate(alpha=0.1, beta=0.5) != rate(alpha="0.1000000000000000055511151231257827",
                                             beta="0.5")
    assert rate(alpha=np.float64(0.1), beta=np.float32(0.5)) == rate(alpha="0.1", beta="0.5")


def test_int():
    assert momentum.rate(method="gd", eta=fractions.Fraction(1, 5), mu=1, L=np.int64(9)) == \
        momentum.rate(method="gd", eta="0.2", mu="1", L="9")


def test_bool_is_not_a_number():
    with pytest.raises(TypeError, match="alpha: expected a number, got a bool"):
        rate(alpha=True, beta=0.5)
    with pytest.raises(TypeError, match="expected a number"):
        momentum.rate(method="gd", eta=0.1, eigenvalues=[1, False])


def test_flags():
    with_all = momentum.rate(method="gd", eta=0.1, eigenvalues=[1, 2, 10], all=True)
    without = momentum.rate(method="gd", eta=0.1, eigenvalues=[1, 2, 10], all=False)
    assert len(with_all["per_eigenvalue"]) == 3 and len(without["per_eigenvalue"]) == 2
    assert momentum.rate(method="gd", eta=0.1, eigenvalues=[1, 2, 10], quiet=None) == without
    with pytest.raises(TypeError, match="a flag takes True"):
        momentum.rate(method="gd", eta=0.1, eigenvalues=[1, 10], all=1)


def test_not_a_number():
    with pytest.raises(TypeError, match="got dict"):
        rate(alpha={}, beta=0.5)
    with pytest.raises(ValueError, match="--alpha"):
        rate(alpha=float("nan"), beta=0.5)
