"""Words people read for the engine's codes: remedies, windows, components and causes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REMEDIES = {
    "return": _("Return for a full refund"),
    "exchange": _("Exchange"),
    "repair": _("Free repair"),
    "refund": _("Refund"),
    "replace_part": _("Part replaced free"),
    "paid_repair": _("Paid repair"),
    "compensation": _("Compensation"),
    "reshipment": _("Free re-shipment"),
    "replacement_car": _("Replacement car"),
}

CAUSES = {
    "": _("Not known / a performance fault"),
    "misuse": _("Misuse or poor upkeep"),
    "water_damage": _("Water damage"),
    "unauthorized_repair": _("Opened by an unauthorised repairer"),
    "force_majeure": _("Force majeure"),
    "no_fault": _("No fault found"),
}

COMPONENTS = {
    "main_unit": _("Main unit"), "battery": _("Battery"), "charger": _("Charger"), "earphones": _("Earphones"),
    "camera": _("Camera"), "display": _("Display"), "board": _("Main board"), "cpu": _("CPU"), "memory": _("Memory"),
    "disk": _("Disk"), "keyboard": _("Keyboard"), "power_adapter": _("Power adapter"), "panel": _("Panel"),
    "backlight": _("Backlight"), "logic_board": _("Logic board"), "tuner": _("Tuner"), "power_board": _("Power board"),
    "compressor": _("Compressor"), "evaporator": _("Evaporator"), "condenser": _("Condenser"),
    "thermostat": _("Thermostat"), "motor": _("Motor"), "controller": _("Controller"), "clutch": _("Clutch"),
    "drum": _("Drum"), "pump": _("Pump"), "engine": _("Engine"), "gearbox": _("Gearbox"),
    "power_battery": _("Power battery"), "drive_motor": _("Drive motor"), "steering": _("Steering"),
    "brakes": _("Brakes"), "body": _("Body"), "fuel_system": _("Fuel system"), "suspension": _("Suspension"),
    "electrical": _("Electrical system"), "air_conditioning": _("Air conditioning"),
}


def label(table: dict, code: str | None) -> str:
    if code is None:
        return "—"
    found = table.get(code)
    return str(found) if found is not None else code.replace("_", " ")


PERIODS = {
    "return": _("Return window"),
    "exchange": _("Exchange window"),
    "warranty": _("Warranty (free repair)"),
    "main_parts": _("Main parts warranty"),
    "sanbao": _("三包 period"),
    "refund": _("Refund window"),
    "claim": _("Claim window"),
    "claim_window": _("Claim window"),
    "replacement_car": _("Replacement car"),
    "return_7d": _("7-day exchange or refund"),
    "serious_60d": _("60-day serious-fault window"),
    "withdrawal": _("Withdrawal window"),
}


def period_label(name: str) -> str:
    """A window's name; accessory windows are named after their part."""
    if name in PERIODS:
        return str(PERIODS[name])
    if name in COMPONENTS:
        return str(_("%(part)s warranty") % {"part": COMPONENTS[name]})
    return name.replace("_", " ")
