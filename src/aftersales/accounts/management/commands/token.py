from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from aftersales.accounts import actions
from aftersales.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "API tokens: create USERNAME (prints a new token), list USERNAME, revoke PREFIX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new API token for USERNAME")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = sub.add_parser("list", help="list USERNAME's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options):
        if action == "revoke":
            token = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError(f"No token with prefix {options['prefix']!r}.")
            actions.token_revoke(token=token, actor=None)
            self.stdout.write(f"Revoked {token.prefix}.")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        if action == "create":
            _token, secret = actions.token_create(user=user, name=options["name"], actor=None)
            self.stdout.write(secret)
        else:
            for t in user.api_tokens.all():
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.prefix}  {t.name or '-'}  {t.created_at:%Y-%m-%d}  {state}")
