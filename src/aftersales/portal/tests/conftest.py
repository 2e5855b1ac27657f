from __future__ import annotations

import pytest

from aftersales.portal.tests.kb_support import KB


@pytest.fixture
def kb(django_capture_on_commit_callbacks):
    """Writes knowledge-base content through the actions, indexed as it commits."""
    return KB(django_capture_on_commit_callbacks)
