"""Small helpers for the help centre's templates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def kb_node(tree: dict, category_id):
    """The category node of `category_id` in a tree from `kb.selectors.category_tree`."""
    if not tree:
        return None
    return tree.get(category_id)
