"""`aftersales entitlement evaluate FILE.json` prints what the endpoint answers, and on bad
input the endpoint's error JSON with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from aftersales.policies.api import EXAMPLES
from aftersales.policies.tests.support import RETURN_CLAIM, evaluate

pytestmark = pytest.mark.django_db


def run(path: str, *args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("entitlement", "evaluate", path, *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def _file(tmp_path: Path, body, name: str = "claim.json") -> str:
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode())
    return str(path)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_cli_prints_what_the_endpoint_answers(tmp_path, agent_client, name):
    _summary, request, answer = EXAMPLES[name]
    status, printed = run(_file(tmp_path, request))
    assert status == 0
    assert printed == answer == evaluate(agent_client, request).json()


BAD = [
    ("not json", b"{'policy': 'x'}", 400, "malformed_json"),
    ("not an object", b"[1, 2]", 422, "invalid_input"),
    ("nul in text", json.dumps({**RETURN_CLAIM, "currency": "C\x00NY"}).encode(), 422, "invalid_input"),
    ("unknown policy", json.dumps({**RETURN_CLAIM, "policy": "no-such"}).encode(), 422, "unknown_policy"),
    ("impossible date", json.dumps({**RETURN_CLAIM, "claim_date": "2025-02-30"}).encode(), 422, "invalid_date"),
    ("malformed money", json.dumps({**RETURN_CLAIM, "price": "1,000"}).encode(), 422, "invalid_money"),
    ("claim before purchase", json.dumps({**RETURN_CLAIM, "claim_date": "2025-01-01"}).encode(), 422,
     "claim_before_purchase"),
]


@pytest.mark.parametrize(("what", "raw", "http_status", "code"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_with_the_endpoints_error(tmp_path, test_policy, agent_client, what, raw, http_status,
                                                    code):
    status, printed = run(_file(tmp_path, raw))
    response = evaluate(agent_client, raw)
    assert status == 2
    assert response.status_code == http_status
    assert printed == response.json()
    assert printed["code"] == code


def test_a_missing_file_exits_2(tmp_path):
    status, printed = run(str(tmp_path / "nothing.json"))
    assert status == 2 and printed["code"] == "file_unreadable"


def test_language_option_translates_the_explanation(tmp_path, test_policy):
    path = _file(tmp_path, RETURN_CLAIM)
    english = run(path)[1]["explanation"]
    korean = run(path, "--language", "ko")[1]["explanation"]
    assert [e["rule"] for e in korean] == [e["rule"] for e in english]
    assert [e["text"] for e in korean] != [e["text"] for e in english]


def _cli(env: dict[str, str], *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aftersales.cli", *args], input=stdin,  # noqa: S603
                          capture_output=True, env=env, timeout=300, check=False)


def test_the_command_reads_standard_input_in_a_process_of_its_own(tmp_path):
    """As a shell runs it: a fresh installation (migrated, so the shipped policies are in),
    the claim on standard input."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_NAME")}
    env.update(AFTERSALES_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="aftersales.settings")
    migrated = _cli(env, "migrate", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr.decode()[-2000:]
    _summary, request, answer = EXAMPLES["late_shipment"]
    done = _cli(env, "entitlement", "evaluate", "-", stdin=json.dumps(request).encode())
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert json.loads(done.stdout) == answer
    bad = _cli(env, "entitlement", "evaluate", "-", stdin=b"{")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["code"] == "malformed_json"
