from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from aftersales.accounts import actions
from aftersales.accounts.models import ApiToken
from aftersales.core.schemas import ERRORS

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    language: str
    time_zone: str
    teams: list[str]
    customer_id: int | None


class TokenIn(Schema):
    name: str = Field("", max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="Shown once. Send as `Authorization: Bearer <token>`.")


def token_out(t: ApiToken) -> dict:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "created_at": t.created_at,
            "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: HttpRequest):
    user = request.auth
    customer = getattr(user, "customer", None) if user.is_customer else None
    return {"id": user.pk, "username": user.username, "name": str(user), "role": user.role,
            "language": user.language, "time_zone": user.time_zone,
            "teams": list(user.teams.values_list("code", flat=True)),
            "customer_id": customer.pk if customer else None}


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="My API tokens")
def list_tokens(request: HttpRequest):
    return [token_out(t) for t in request.auth.api_tokens.all()]


@router.post("/tokens", response={201: NewTokenOut, **ERRORS}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn):
    token, secret = actions.token_create(user=request.auth, name=payload.name, actor=request.auth)
    return Status(201, {**token_out(token), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int):
    token = request.auth.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404
    actions.token_revoke(token=token, actor=request.auth)
    return Status(204, None)
