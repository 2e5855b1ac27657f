"""The contract as documented is the contract as served: the OpenAPI lists every key the
engine reads, its examples are the real answers, and the answers have the documented shape."""

from __future__ import annotations

import pytest

from aftersales.core.tests.api_support import API
from aftersales.policies.api import EXAMPLES
from aftersales.policies.engine import io
from aftersales.policies.schemas import EvaluateOut
from aftersales.policies.tests.support import evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operation(openapi) -> dict:
    return openapi["paths"][f"{API}/entitlements/evaluate"]["post"]


def test_the_request_schema_names_exactly_the_keys_the_engine_reads(openapi):
    schema = _operation(openapi)["requestBody"]["content"]["application/json"]["schema"]
    props = schema["properties"]
    assert set(props) == io.CLAIM_KEYS
    assert set(schema["required"]) == {"policy", "price", "currency", "claim_date"}
    assert schema["additionalProperties"] is False

    def nested(prop) -> set[str]:
        options = prop.get("anyOf", [prop])
        obj = next(o for o in options if o.get("type") in ("object", "array"))
        return set((obj["items"] if obj["type"] == "array" else obj)["properties"])

    assert nested(props["dates"]) == io.DATES_KEYS
    assert nested(props["fault"]) == io.FAULT_KEYS
    assert nested(props["repairs"]) == io.REPAIR_KEYS
    assert nested(props["exchanges"]) == io.EXCHANGE_KEYS
    assert "$ref" not in str(schema)  # stands on its own


def test_the_documented_examples_are_the_worked_examples_1_and_5(openapi):
    operation = _operation(openapi)
    requests = operation["requestBody"]["content"]["application/json"]["examples"]
    answers = operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(requests) == set(answers) == {"phone_day_6", "late_shipment"}
    assert requests["phone_day_6"]["value"]["policy"] == "cn-mobile-phone"
    assert answers["late_shipment"]["value"]["remedies"][0]["amount"] == "2.00"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_documented_example_gets_its_documented_answer(agent_client, name):
    _summary, request, answer = EXAMPLES[name]
    response = evaluate(agent_client, request)
    assert response.status_code == 200, response.content
    assert response.json() == answer


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_answers_have_the_documented_shape(agent_client, name):
    _summary, request, _answer = EXAMPLES[name]
    body = evaluate(agent_client, request).json()
    documented = set(EvaluateOut.model_fields) - {"decision_id"}
    assert set(body) == documented
    EvaluateOut.model_validate(body)
    recorded = evaluate(agent_client, request, "record=true").json()
    assert set(recorded) == documented | {"decision_id"}
