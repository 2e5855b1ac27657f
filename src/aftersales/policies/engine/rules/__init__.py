"""One module per rule family; a policy document names its family."""

from __future__ import annotations

from collections.abc import Callable

from ..context import Policy
from ..types import Claim, Decision
from . import (
    cn_arrival_promise,
    cn_counterfeit,
    cn_damage_in_transit,
    cn_household_car,
    cn_late_shipment,
    cn_online_return,
    cn_return_promise,
    cn_sanbao,
    kr_online_withdrawal,
    kr_smartphone,
)

FAMILIES: dict[str, Callable[[Policy, Claim], Decision]] = {
    "cn_sanbao": cn_sanbao.evaluate,
    "cn_household_car": cn_household_car.evaluate,
    "cn_online_return": cn_online_return.evaluate,
    "cn_return_promise": cn_return_promise.evaluate,
    "cn_late_shipment": cn_late_shipment.evaluate,
    "cn_counterfeit": cn_counterfeit.evaluate,
    "cn_damage_in_transit": cn_damage_in_transit.evaluate,
    "cn_arrival_promise": cn_arrival_promise.evaluate,
    "kr_smartphone": kr_smartphone.evaluate,
    "kr_online_withdrawal": kr_online_withdrawal.evaluate,
}
