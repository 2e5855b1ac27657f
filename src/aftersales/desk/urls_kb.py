"""The knowledge base in the desk (included from desk/urls.py under the `desk` namespace)."""

from django.urls import path

from aftersales.desk import (
    views_kb,
    views_kb_analytics,
    views_kb_case,
    views_kb_categories,
    views_kb_files,
    views_kb_history,
)

urlpatterns = [
    path("kb/", views_kb.article_list, name="kb_list"),
    path("kb/new/", views_kb.article_new, name="kb_new"),
    path("kb/preview/", views_kb.preview, name="kb_preview"),
    path("kb/analytics/", views_kb_analytics.analytics, name="kb_analytics"),
    path("kb/categories/", views_kb_categories.categories, name="kb_categories"),
    path("kb/categories/new/", views_kb_categories.category_create, name="kb_category_create"),
    path("kb/categories/<int:category_id>/", views_kb_categories.category_save, name="kb_category_save"),
    path("kb/categories/<int:category_id>/move/", views_kb_categories.category_move, name="kb_category_move"),
    path("kb/categories/<int:category_id>/delete/", views_kb_categories.category_delete,
         name="kb_category_delete"),
    path("kb/<int:article_id>/", views_kb.article_edit, name="kb_edit"),
    path("kb/<int:article_id>/settings/", views_kb.article_settings, name="kb_settings"),
    path("kb/<int:article_id>/delete/", views_kb.article_delete, name="kb_delete"),
    path("kb/<int:article_id>/files/", views_kb_files.upload, name="kb_file_upload"),
    path("kb/<int:article_id>/files/<int:attachment_id>/", views_kb_files.serve, name="kb_file"),
    path("kb/<int:article_id>/files/<int:attachment_id>/delete/", views_kb_files.delete, name="kb_file_delete"),
    path("kb/<int:article_id>/<str:lang>/save/", views_kb.translation_save, name="kb_translation_save"),
    path("kb/<int:article_id>/<str:lang>/delete/", views_kb.translation_delete, name="kb_translation_delete"),
    path("kb/<int:article_id>/<str:lang>/history/", views_kb_history.history, name="kb_history"),
    path("kb/<int:article_id>/<str:lang>/history/<int:number>/", views_kb_history.revision, name="kb_revision"),
    path("kb/<int:article_id>/<str:lang>/history/<int:number>/restore/", views_kb_history.restore,
         name="kb_restore"),
    path("cases/<int:case_id>/kb/", views_kb_case.panel, name="case_kb"),
    path("cases/<int:case_id>/kb/search/", views_kb_case.search, name="case_kb_search"),
    path("cases/<int:case_id>/kb/<int:article_id>/insert/", views_kb_case.insert, name="case_kb_insert"),
]
