from __future__ import annotations

import pytest

from aftersales.core.tests.api_support import api_client, build_world
from aftersales.policies.tests.support import make_policy


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def admin(world):
    return api_client(world.users["administrator"])


@pytest.fixture
def agent_client(world):
    return api_client(world.users["agent"])


@pytest.fixture
def test_policy(db):
    return make_policy()
