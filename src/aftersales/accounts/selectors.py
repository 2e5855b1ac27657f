from __future__ import annotations

import hmac
import re

from aftersales.accounts.actions import TOKEN_PREFIX, hash_token_secret, token_touch
from aftersales.accounts.models import ApiToken, Role, User

TOKEN_PREFIX_SHAPE = re.compile(r"[0-9a-f]{1,12}")


def token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None. Constant-time on the secret."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    if not TOKEN_PREFIX_SHAPE.fullmatch(parts[1]):
        return None  # never send junk (e.g. a NUL, which PostgreSQL refuses) to the database
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_token_secret(parts[2])):
        return None
    token_touch(token=token)
    return token.user


def staff_users():
    return User.objects.filter(is_active=True).exclude(role=Role.CUSTOMER)


def user_team_ids(user: User) -> list[int]:
    cached = getattr(user, "_team_ids_cache", None)
    if cached is None:
        cached = list(user.teams.values_list("id", flat=True))
        user._team_ids_cache = cached
    return cached
