from __future__ import annotations

import pytest

from aftersales.catalog.imei import imei_check_digit, imei_is_valid


@pytest.mark.parametrize("imei", ["490154203237518", "356938035643809", "3569380356438091"])
def test_valid(imei):
    assert imei_is_valid(imei)


@pytest.mark.parametrize(
    "imei", ["490154203237519", "35693803564380", "４９０１５４２０３２３７５１８", "49015420323751a"]
)
def test_invalid(imei):
    assert not imei_is_valid(imei)


@pytest.mark.parametrize("body", ["49015420323751", "35693803564380", "00000000000000", "99999999999999"])
def test_check_digit_completes_a_valid_imei(body):
    assert imei_is_valid(body + imei_check_digit(body))
    wrong = str((int(imei_check_digit(body)) + 1) % 10)
    assert not imei_is_valid(body + wrong)
