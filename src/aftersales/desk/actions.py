"""Writes the desk makes of its own: the saved views of each member of staff."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, NotFound, ValidationFailed
from aftersales.desk.errors import DeskError
from aftersales.desk.models import SavedView

MAX_SAVED_VIEWS = 30
NAME_LENGTH = 60


@transaction.atomic
def saved_view_create(*, user, name: str, query: dict[str, str]) -> SavedView:
    """Save `query` (a queue key, its filters and sort, already cleaned) under `name`."""
    name = " ".join(str(name).split())
    if not name or len(name) > NAME_LENGTH or any(not ch.isprintable() for ch in name):
        raise ValidationFailed(DeskError.VIEW_NAME_INVALID,
                               _("Give the view a name of 1 to %(n)d characters.") % {"n": NAME_LENGTH})
    mine = SavedView.objects.select_for_update().filter(user=user)
    if mine.filter(name=name).exists():
        raise Conflict(DeskError.VIEW_NAME_TAKEN, _("You already have a view called “%(name)s”.") % {"name": name})
    if mine.count() >= MAX_SAVED_VIEWS:
        raise ValidationFailed(DeskError.TOO_MANY_VIEWS,
                               _("You can keep up to %(n)d saved views; delete one first.") % {"n": MAX_SAVED_VIEWS})
    view = SavedView.objects.create(user=user, name=name, query=query)
    audit_record(actor=user, obj=view, action="saved_view.created", after={"name": name, "query": query})
    return view


@transaction.atomic
def saved_view_delete(*, user, view_id: int) -> None:
    view = SavedView.objects.filter(user=user, pk=view_id).first()
    if view is None:
        raise NotFound(DeskError.VIEW_NOT_FOUND, _("That saved view does not exist."))
    audit_record(actor=user, obj=view, action="saved_view.deleted", before={"name": view.name, "query": view.query})
    view.delete()
