from __future__ import annotations

import hmac
import re
import unicodedata

from django.db.models import F

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


def user_for_sign_in(identifier: str) -> User | None:
    """The account a sign-in name points at: the user name as typed, else, for an e-mail
    address, the one account whose user name is that address in any letter case (portal
    accounts use the address as their user name). None when there is none or it is ambiguous."""
    identifier = (identifier or "").strip()
    if not identifier or "\x00" in identifier:
        return None
    found = User.objects.filter(username=identifier).first()
    if found is not None or "@" not in identifier:
        return found
    matches = list(User.objects.filter(username__iexact=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def same_address(typed: str, stored: str) -> bool:
    """Case-insensitive equality that a database's `iexact` cannot be tricked around with
    look-alike letters (the reason Django's own reset form compares again after querying)."""
    def fold(s: str) -> str:
        return unicodedata.normalize("NFKC", s).casefold()
    return bool(stored) and fold(typed.strip()) == fold(stored.strip())


def users_by_email(email: str) -> list[tuple[User, str]]:
    """Accounts reachable at `email`, each with the stored address to write to: the account's
    own e-mail, or a verified e-mail identity of the customer the account belongs to.
    Two queries, whatever the number of matches."""
    email = (email or "").strip()
    if not email or "\x00" in email:
        return []
    found: dict[int, tuple[User, str]] = {}
    for user in User.objects.filter(email__iexact=email):
        if same_address(email, user.email):
            found[user.pk] = (user, user.email)
    # One filter() call: the annotation reads the same identity row the filter matched.
    via_identity = User.objects.filter(
        customer__identities__kind="email", customer__identities__value__iexact=email,
        customer__identities__verified_at__isnull=False,
    ).annotate(identity_value=F("customer__identities__value"))
    for user in via_identity:
        if user.pk not in found and same_address(email, user.identity_value):
            found[user.pk] = (user, user.identity_value)
    return list(found.values())
