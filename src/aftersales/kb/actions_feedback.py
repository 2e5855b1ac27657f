"""What readers leave behind: views, "was this helpful?" votes, the searches they ran and the
articles they opened, and what the "Ask for help" form showed them (deflection). These feed
the knowledge base's analytics, so the FAQ is kept fresh from real questions."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ValidationFailed
from aftersales.kb.errors import KbError
from aftersales.kb.models import (
    COMMENT_MAX,
    Article,
    ArticleTranslation,
    ArticleVote,
    Deflection,
    SearchLog,
    SearchSource,
)

QUERY_MAX = 200
DEFLECTION_SHOWN_MAX = 50


def voter_key(*, user, session_key: str | None) -> str | None:
    """Who a vote belongs to: the account, or (for a visitor) a hash of the session."""
    if getattr(user, "is_authenticated", False):
        return f"u{user.pk}"
    if not session_key:
        return None
    return "s" + hashlib.sha256(f"{settings.SECRET_KEY}:{session_key}".encode()).hexdigest()[:40]


def article_viewed(*, article: Article, translation: ArticleTranslation) -> None:
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    ArticleTranslation.objects.filter(pk=translation.pk).update(view_count=F("view_count") + 1)


def _comment(comment: str) -> str:
    comment = unicodedata.normalize("NFC", comment or "").replace("\r\n", "\n").strip()
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in comment):
        raise ValidationFailed(KbError.VOTE_INVALID, _("The comment holds characters that cannot be stored."))
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(KbError.COMMENT_TOO_LONG,
                               _("The comment is longer than %(n)s characters.") % {"n": COMMENT_MAX})
    return comment


@transaction.atomic
def vote_record(*, translation: ArticleTranslation, voter: str, user, helpful: bool, comment: str = "") -> ArticleVote:
    """One vote per reader and translation: voting again replaces the earlier vote (the counts
    move with it); a comment can be added to the vote already given."""
    comment = _comment(comment)
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    existing = ArticleVote.objects.filter(translation=translation, voter=voter).first()
    if existing is not None:
        if existing.helpful != helpful:
            ArticleTranslation.objects.filter(pk=translation.pk).update(
                helpful_yes=F("helpful_yes") + (1 if helpful else -1),
                helpful_no=F("helpful_no") + (-1 if helpful else 1))
        existing.helpful = helpful
        if comment:
            existing.comment = comment
        existing.created_at = timezone.now()
        existing.save(update_fields=["helpful", "comment", "created_at"])
        return existing
    try:
        with transaction.atomic():
            vote = ArticleVote.objects.create(translation=translation, voter=voter,
                                              user=user if getattr(user, "pk", None) else None, helpful=helpful,
                                              comment=comment)
    except IntegrityError as exc:  # the same reader voted twice at once: the first one counts
        raise ValidationFailed(KbError.VOTE_INVALID, _("Your vote was already recorded.")) from exc
    field = "helpful_yes" if helpful else "helpful_no"
    ArticleTranslation.objects.filter(pk=translation.pk).update(**{field: F(field) + 1})
    return vote


def search_logged(*, query: str, terms: tuple[str, ...] | list[str], language: str, source: str, results: int,
                  user) -> SearchLog | None:
    """Remember a search (not the suggestions shown while typing). Nothing searchable, nothing kept."""
    query = " ".join((query or "").split())[:QUERY_MAX]
    normalized = " ".join(terms)[:QUERY_MAX]
    if not normalized or source not in SearchSource.values:
        return None
    return SearchLog.objects.create(query=query, normalized=normalized, language=language[:10], source=source,
                                    results=results, user=user if getattr(user, "pk", None) else None)


def search_clicked(*, log_id: int, article: Article) -> None:
    SearchLog.objects.filter(pk=log_id, clicked__isnull=True).update(clicked=article)


def deflection_seen(*, token: uuid.UUID, user, query: str, article_ids: list[int]) -> Deflection:
    """The articles shown beside the customer's request as they type, added to what was shown."""
    try:
        with transaction.atomic():
            deflection, _created = Deflection.objects.get_or_create(token=token, defaults={"user": user})
    except IntegrityError:  # two requests of the same form at once: the other one made it
        deflection = Deflection.objects.get(token=token)
    if deflection.user_id != user.pk:
        raise ValidationFailed(KbError.DEFLECTION_INVALID, _("This form belongs to someone else."))
    shown = list(dict.fromkeys([*deflection.shown, *article_ids]))[:DEFLECTION_SHOWN_MAX]
    Deflection.objects.filter(pk=deflection.pk).update(query=" ".join(query.split())[:300], shown=shown,
                                                       updated_at=timezone.now())
    deflection.shown = shown
    return deflection


def deflection_opened(*, token: uuid.UUID, user, article_id: int) -> None:
    with transaction.atomic():
        deflection = Deflection.objects.select_for_update().filter(token=token, user=user).first()
        if deflection is None or article_id in deflection.opened:
            return
        deflection.opened = [*deflection.opened, article_id][:DEFLECTION_SHOWN_MAX]
        deflection.updated_at = timezone.now()
        deflection.save(update_fields=["opened", "updated_at"])


def deflection_submitted(*, token: uuid.UUID | None, user, case) -> None:
    """The customer sent the request after all: the form's articles did not answer it."""
    if token is None:
        return
    Deflection.objects.filter(token=token, user=user, case__isnull=True).update(case=case, updated_at=timezone.now())
