from enum import StrEnum


class KbError(StrEnum):
    CATEGORY_INVALID = "kb_category_invalid"
    CATEGORY_CYCLE = "kb_category_cycle"
    CATEGORY_NOT_EMPTY = "kb_category_not_empty"
    ARTICLE_INVALID = "kb_article_invalid"
    TRANSLATION_INVALID = "kb_translation_invalid"
    LANGUAGE_INVALID = "kb_language_invalid"
    TITLE_EMPTY = "kb_title_empty"
    TITLE_TOO_LONG = "kb_title_too_long"
    BODY_EMPTY = "kb_body_empty"
    BODY_TOO_LONG = "kb_body_too_long"
    PUBLISH_AT_INVALID = "kb_publish_at_invalid"
    NOT_PUBLISHABLE = "kb_not_publishable"
    SLUG_TAKEN = "kb_slug_taken"
    RELATED_INVALID = "kb_related_invalid"
    PRODUCT_INVALID = "kb_product_invalid"
    REVISION_INVALID = "kb_revision_invalid"
    VOTE_INVALID = "kb_vote_invalid"
    COMMENT_TOO_LONG = "kb_comment_too_long"
    EDIT_CONFLICT = "kb_edit_conflict"
    ATTACHMENT_INVALID = "kb_attachment_invalid"
