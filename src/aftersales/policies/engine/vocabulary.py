"""The words claims and policies may use. A policy lists the subset it knows; a claim with a
word outside these sets is refused before any rule runs."""

from __future__ import annotations

from typing import get_args

from .types import Cause, ProofOfPurchase, RemedyKind

COMPONENTS: frozenset[str] = frozenset({
    # any product
    "main_unit",
    # phones and their accessories
    "battery", "charger", "earphones", "camera", "display",
    # personal computers
    "board", "cpu", "memory", "disk", "keyboard", "power_adapter",
    # flat-panel TVs
    "panel", "backlight", "logic_board", "tuner", "power_board",
    # air conditioners, refrigerators, washing machines
    "compressor", "evaporator", "condenser", "thermostat", "motor", "controller", "clutch", "drum", "pump",
    # cars
    "engine", "gearbox", "power_battery", "drive_motor", "steering", "brakes", "body", "fuel_system",
    "suspension", "electrical", "air_conditioning",
})
CAUSES: frozenset[str] = frozenset(get_args(Cause))
PROOFS: frozenset[str] = frozenset(get_args(ProofOfPurchase))
REMEDIES: frozenset[str] = frozenset(get_args(RemedyKind))
# Goods excluded from no-reason returns (China: 网络购买商品七日无理由退货暂行办法 arts. 6–7;
# Korea: 전자상거래법 art. 17(2)).
EXCLUDED_GOODS: frozenset[str] = frozenset({
    "custom_made", "perishable", "digital_unsealed", "periodicals",
    "unsafe_unsealed", "activation_value_loss", "near_expiry", "disclosed_flaw",
    "consumer_damaged", "value_lost_by_use", "value_lost_by_time", "copyable_unsealed",
})
START_EVENTS: tuple[str, ...] = ("installed", "delivered", "invoice", "signed")
PAYERS: frozenset[str] = frozenset({"buyer", "seller"})
CURRENCIES: tuple[str, ...] = ("CNY", "TWD", "HKD", "USD", "KRW", "JPY")
