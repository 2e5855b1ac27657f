"""Searching cases: the index follows the case actions after commit, and every reader finds only
what they may see — customers their own cases and never by an internal note, agents their teams'
and their own, supervisors everything — through the selector and through GET /api/v1/search."""

from __future__ import annotations

import pytest
from django.db import transaction

from aftersales.accounts.models import Role
from aftersales.cases import actions as case_actions
from aftersales.core.tests.api_support import api_client, assert_error
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory
from aftersales.search.models import CaseDocument
from aftersales.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.team_a, w.team_b = TeamFactory(code="a", name="A"), TeamFactory(code="b", name="B")
    w.me, w.other = CustomerUserFactory(username="me"), CustomerUserFactory(username="other")
    w.agent = UserFactory(username="agent", role=Role.AGENT, teams=[w.team_a])
    w.supervisor = UserFactory(username="boss", role=Role.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        w.mine = case_actions.case_open(customer=w.me.customer, actor=w.me, subject="洗衣机不脱水",
                                        body="洗衣机不脱水，排水也很慢。", team=w.team_a, language="zh-hans")
        w.theirs = case_actions.case_open(customer=w.other.customer, actor=w.other, subject="洗衣機不脫水",
                                          body="脫水時一直響，洗衣機不脫水。", team=w.team_b, language="zh-hant")
        w.battery = case_actions.case_open(customer=w.me.customer, actor=w.me, subject="배터리가 빨리 닳아요",
                                           body="배터리 교체 가능한가요?", team=w.team_b, language="ko")
        case_actions.case_post_message(case=w.mine, actor=w.agent, public=False,
                                       body="内部：疑似排水泵故障，安排上门。")
        case_actions.case_post_message(case=w.mine, actor=w.agent, public=True,
                                       body="请先检查排水管是否堵塞。")
    return w


def ids(user, q, **kw):
    return {h.id for h in search(user=user, scope="cases", q=q, **kw).hits}


def test_the_index_follows_the_actions_after_commit(world):
    assert set(CaseDocument.objects.values_list("id", flat=True)) == {world.mine.pk, world.theirs.pk,
                                                                       world.battery.pk}
    assert ids(world.supervisor, "排水管") == {world.mine.pk}  # a public reply, indexed when it committed


def test_a_rolled_back_change_is_not_indexed(world, django_capture_on_commit_callbacks):
    def post_then_fail():
        with transaction.atomic():
            case_actions.case_post_message(case=world.theirs, actor=world.supervisor, public=True,
                                           body="冷凝器需要更换")
            raise RuntimeError("roll back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        post_then_fail()
    assert ids(world.supervisor, "冷凝器") == set()


def test_customers_find_only_their_own_cases(world):
    assert ids(world.me, "洗衣机不脱水") == {world.mine.pk}  # both scripts match; the other case is not theirs
    assert ids(world.other, "洗衣机不脱水") == {world.theirs.pk}
    assert ids(world.supervisor, "洗衣机不脱水") == {world.mine.pk, world.theirs.pk}


def test_customers_never_find_a_case_by_its_internal_notes(world):
    assert ids(world.me, "排水泵") == set()
    assert ids(world.agent, "排水泵") == {world.mine.pk}
    hit = search(user=world.me, scope="cases", q="排水").hits[0]
    assert "排水泵" not in hit.snippet and "<mark>排水</mark>" in hit.snippet


def test_agents_find_their_teams_cases_and_their_own(world, django_capture_on_commit_callbacks):
    assert ids(world.agent, "洗衣机") == {world.mine.pk}
    assert ids(world.agent, "배터리") == set()
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.case_assign(case=world.battery, assignee=world.agent, actor=world.supervisor)
    assert ids(world.agent, "배터리") == {world.battery.pk}
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.case_set_team(case=world.mine, team=world.team_b, actor=world.supervisor)
    assert ids(world.agent, "洗衣机") == set()


def test_a_deleted_case_leaves_no_hit(world, django_capture_on_commit_callbacks):
    from aftersales.cases.models import Case

    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=world.battery.pk).delete()
    assert ids(world.supervisor, "배터리") == set()
    assert not CaseDocument.objects.filter(pk=world.battery.pk).exists()


def test_a_case_is_found_by_its_number_and_in_its_language(world):
    assert ids(world.supervisor, world.battery.number) == {world.battery.pk}
    assert ids(world.supervisor, "洗衣机", lang="zh-hant") == {world.theirs.pk}


def test_a_stale_index_row_never_shows_what_the_reader_may_no_longer_see(world):
    # The case moves team without the index hearing of it (a bulk update, say): the index row still
    # says team A, but the hit is checked against the case as it is.
    from aftersales.cases.models import Case

    Case.objects.filter(pk=world.mine.pk).update(team=world.team_b)
    assert ids(world.agent, "洗衣机") == set()


# ---- the API ------------------------------------------------------------------------------

def test_the_api_answers_ranked_results(world):
    response = api_client(world.me).get("/api/v1/search", {"q": "洗衣机不脱水", "scope": "cases"})
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [world.mine.pk]
    hit = body["results"][0]
    assert set(hit) >= {"id", "scope", "title", "snippet", "score", "url"}
    assert hit["scope"] == "cases" and hit["title"] == "<mark>洗衣机不脱水</mark>"
    assert hit["url"] == f"/cases/{world.mine.pk}/" and hit["number"] == world.mine.number
    assert body["terms"] == ["洗衣", "衣机", "机不", "不脱", "脱水"]


@pytest.mark.parametrize(("params", "code"), [
    ({}, "invalid_input"),
    ({"q": ""}, "search_query_empty"),
    ({"q": "   "}, "search_query_empty"),
    ({"q": "保" * 201}, "search_query_too_long"),
    ({"q": "x", "scope": "everything"}, "invalid_input"),
    ({"q": "x", "lang": "fr"}, "invalid_input"),
    ({"q": "x", "limit": "0"}, "invalid_input"),
    ({"q": "x", "limit": "51"}, "invalid_input"),
    ({"q": "x", "limit": "ten"}, "invalid_input"),
    ({"q": "x\x00y"}, "invalid_input"),
    ({"q": "x", "product": "99999999999999999999"}, "invalid_input"),
])
def test_bad_parameters_are_refused_with_a_code(world, params, code):
    assert_error(api_client(world.supervisor).get("/api/v1/search", params), 422, code)


@pytest.mark.parametrize("q", ['"', "*", "NEAR", "OR 1=1", "title:洗衣机", "洗衣机*", "' OR ''='", "\\", "%_%"])
def test_query_syntax_is_plain_text_over_the_api(world, q):
    response = api_client(world.supervisor).get("/api/v1/search", {"q": q, "scope": "cases"})
    assert response.status_code == 200
    assert len(response.json()["results"]) < 3


def test_the_api_needs_a_sign_in(world):
    from django.test import Client

    assert_error(Client().get("/api/v1/search", {"q": "洗衣机"}), 401, "not_authenticated")


def test_search_takes_a_fixed_number_of_queries(world, django_assert_num_queries, django_capture_on_commit_callbacks):
    client = api_client(world.supervisor)
    params = {"q": "洗衣机", "scope": "cases"}
    client.get("/api/v1/search", params)  # warm the term counts (PostgreSQL keeps them after the first)
    with django_assert_num_queries(8 if _postgres() else 7) as small:
        assert len(client.get("/api/v1/search", params).json()["results"]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(12):
            case_actions.case_open(customer=world.other.customer, actor=world.other, subject=f"洗衣机 {n}",
                                   body="洗衣机不转。", team=world.team_b, language="zh-hans")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/search", params).json()["results"]) == 14


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
