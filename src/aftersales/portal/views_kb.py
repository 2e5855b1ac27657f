"""The help centre's pages (being built)."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


home = search_page = suggest = category = article = vote = attachment = deflect = _missing
