from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import ALL_SEEING_ROLES, ApiToken, Role, Team, User
from aftersales.core.audit import audit_changes, audit_record, snapshot

TOKEN_PREFIX = "ast"  # noqa: S105 - a label, not a secret


def hash_token_secret(secret: str) -> str:
    # Secrets are 256 random bits, so a fast hash is enough; bcrypt would only slow every call.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str = Role.CUSTOMER,
    email: str = "",
    display_name: str = "",
    language: str = "en",
    time_zone: str = "",
    teams: list[Team] | None = None,
    actor: User | None = None,
) -> User:
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        language=language,
        time_zone=time_zone,
    )
    _apply_role(user, role)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if teams:
        user.teams.set(teams)
    audit_record(actor=actor, obj=user, action="user.created", after=snapshot(user, ["username", "role"]))
    return user


def _apply_role(user: User, role: str) -> None:
    user.role = Role(role)
    # The admin site is for those who configure the product; the role stays the source of truth.
    user.is_staff = user.role in ALL_SEEING_ROLES
    user.is_superuser = user.role == Role.ADMINISTRATOR


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: User | None) -> User:
    before = snapshot(user, ["role"])
    _apply_role(user, role)
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    audit_changes(actor=actor, obj=user, action="user.role_changed", before=before, after=snapshot(user, ["role"]))
    return user


@transaction.atomic
def token_create(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the secret; the secret is never stored and never shown again."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_token_secret(secret))
    audit_record(actor=actor or user, obj=token, action="token.created", after={"user": user.pk, "name": name})
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, obj=token, action="token.revoked")
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record use at most once a minute, so reads do not become writes on every call."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User | None) -> User:
    """Switch sign-in on or off (a portal sign-up stays off until its e-mail is verified)."""
    if user.is_active == active:
        return user
    before = snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_changes(actor=actor, obj=user, action="user.active_changed", before=before,
                  after=snapshot(user, ["is_active"]))
    return user


@transaction.atomic
def user_update_preferences(
    *, user: User, actor: User | None, display_name: str, language: str, time_zone: str
) -> User:
    """What a person may change about themselves: the name shown, language and time zone."""
    fields = ["display_name", "language", "time_zone"]
    before = snapshot(user, fields)
    user.display_name = display_name.strip()
    user.language = language
    user.time_zone = time_zone
    user.full_clean(exclude=["password", "username", "email"])
    after = snapshot(user, fields)
    if after != before:
        user.save(update_fields=fields)
        audit_changes(actor=actor, obj=user, action="user.preferences_changed", before=before, after=after)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str, actor: User | None) -> User:
    """The interface language a person chose (the switcher in the header); kept on their
    record so it follows them to their next sign-in and to other devices."""
    return user_update_preferences(user=user, actor=actor, display_name=user.display_name, language=language,
                                   time_zone=user.time_zone)


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: User | None) -> User:
    """A new password (already checked against the validators by the form). Changing it ends
    every link mailed for the old one: reset tokens are bound to the password hash."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, obj=user, action="user.password_changed")
    return user
