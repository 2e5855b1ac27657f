"""IMEI check digits (Luhn). Pure Python."""

from __future__ import annotations


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return total


def imei_check_digit(digits14: str) -> str:
    """The 15th digit that makes 14 IMEI digits valid."""
    return str((10 - _luhn_sum(digits14 + "0") % 10) % 10)


def imei_is_valid(imei: str) -> bool:
    """A 15-digit IMEI whose check digit is right, or a 16-digit IMEISV (no check digit)."""
    if not (imei.isascii() and imei.isdigit() and len(imei) in (15, 16)):
        return False
    return len(imei) == 16 or _luhn_sum(imei) % 10 == 0
