"""The help centre (knowledge base) at /help/: anyone may read public articles."""

from django.urls import path

from aftersales.portal import views_kb

app_name = "kb"

urlpatterns = [
    path("", views_kb.home, name="home"),
    path("search/", views_kb.search_page, name="search"),
    path("suggest/", views_kb.suggest, name="suggest"),
    path("c/<int:category_id>/", views_kb.category, name="category_id"),
    path("c/<int:category_id>/<slug:slug>/", views_kb.category, name="category"),
    path("a/<int:article_id>/", views_kb.article, name="article_id"),
    # Before the article's own address, which would take "vote" for a key (a GET here is the
    # article page: an article may have the key "vote").
    path("a/<int:article_id>/vote/", views_kb.vote, name="vote"),
    path("a/<int:article_id>/<slug:slug>/", views_kb.article, name="article"),
    path("files/<int:attachment_id>/", views_kb.attachment, name="attachment"),
    path("deflect/", views_kb.deflect, name="deflect"),
]
