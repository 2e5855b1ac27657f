"""The four languages ship complete: every string in the code is in every catalogue, translated."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"
TRANSLATED = ["zh_Hant", "zh_Hans", "ko"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated(lang):
    missing = [e.msgid for e in catalogue(lang) if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang):
    wrong = []
    for entry in catalogue(lang):
        if not entry.msgstr:
            continue
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


def test_the_english_catalogue_says_what_the_code_says():
    """English is the source language: an entry whose English differs from its msgid is a
    leftover guess from `makemessages` (a fuzzy match), not a translation."""
    wrong = []
    for e in catalogue("en"):
        if e.obsolete:
            continue
        expected = [e.msgid, e.msgid_plural] if e.msgid_plural else [e.msgid]
        got = [e.msgstr_plural.get(i, "") for i in range(2)] if e.msgid_plural else [e.msgstr]
        if "fuzzy" in e.flags or got != expected:
            wrong.append(e.msgid)
    assert wrong == []


def test_all_catalogues_have_the_same_entries():
    ids = {lang: {e.msgid for e in catalogue(lang)} for lang in ["en", *TRANSLATED]}
    assert ids["zh_Hant"] == ids["zh_Hans"] == ids["ko"] == ids["en"]


def test_catalogues_are_in_step_with_the_code(tmp_path, monkeypatch):
    """Extract the strings again from a copy of the code: nothing may be new."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is not installed; `python3 dev.py test` installs it.")
    copy = tmp_path / "aftersales"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ko"], ignore_patterns=["*/tests/*"], no_location=True,
                 no_obsolete=True, verbosity=0)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po"))}
    shipped = {e.msgid for e in catalogue("ko")}
    assert sorted(fresh - shipped) == [], "run: cd src/aftersales && aftersales makemessages -a ..."
    assert os.path.exists(copy / "locale")
