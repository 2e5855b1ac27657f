"""An article's files in the desk editor: upload (the type sniffed from the bytes by
`cases.attachments.check_upload`, never trusted from the name), serve to editors (drafts'
images too; the help centre serves published articles' files to readers), delete. An image
goes into the text as `![alt](attachment:ID)`."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.permissions import Op
from aftersales.cases.attachments import check_uploaded_file, protected_file_response
from aftersales.core.errors import DomainError
from aftersales.desk.views_kb import back_to_editor, editor_page, kb_view
from aftersales.kb import actions
from aftersales.kb.access import access_article_for_edit
from aftersales.kb.errors import KbError

FILES_ANCHOR = "#kb-files"


@kb_view(Op.KB_EDIT)
@require_POST
def upload(request: HttpRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    active = request.POST.get("active", "")[:10]
    try:
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(KbError.ATTACHMENT_INVALID, _("Choose a file to upload."), status=422)
        checked = check_uploaded_file(upload)
        attachment = actions.attachment_add(actor=request.user, article=article, checked=checked)
    except DomainError as exc:
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for="files", active=active)
    messages.success(request, _("%(name)s is uploaded.") % {"name": attachment.filename})
    return back_to_editor(article.pk, active, FILES_ANCHOR)


@kb_view(Op.KB_EDIT)
@require_GET
def serve(request: HttpRequest, article_id: int, attachment_id: int) -> FileResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    attachment = get_object_or_404(article.attachments, pk=attachment_id)
    return protected_file_response(attachment.file, content_type=attachment.content_type,
                                   filename=attachment.filename, inline=attachment.is_image, max_age=3600)


@kb_view(Op.KB_EDIT)
@require_POST
def delete(request: HttpRequest, article_id: int, attachment_id: int) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    attachment = get_object_or_404(article.attachments, pk=attachment_id)
    active = request.POST.get("active", "")[:10]
    try:
        actions.attachment_delete(actor=request.user, attachment=attachment)
    except DomainError as exc:
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for="files", active=active)
    messages.success(request, _("%(name)s is deleted.") % {"name": attachment.filename})
    return back_to_editor(article.pk, active, FILES_ANCHOR)
