"""``{% guide "decision_modes" %}``: a "?" beside a concept, linking to its page in the guide.

A key written in the template is checked when the template is read, so a misspelt key fails the
first test that renders the page; a key from a variable (a form field's ``guide``) is checked when
it renders and leaves the link out if the guide has no such page.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from suhde.common.guide import guide_html, guide_keys, guide_page

register = template.Library()


def guide_link(key: str) -> SafeString:
    page = guide_page(key)
    if page is None:
        return SafeString("")
    return format_html(
        '<a class="guide-link" href="{}" target="suhde-guide" rel="noopener" title="{}">'
        '<span aria-hidden="true">?</span><span class="visually-hidden">{} {}</span></a>',
        reverse("guide_page", args=[key]),
        page.question,
        page.question,
        gettext("(opens in a new tab)"),
    )


class GuideNode(template.Node):
    def __init__(self, key: template.base.FilterExpression):
        self.key = key

    def render(self, context: template.Context) -> str:
        return guide_link(str(self.key.resolve(context) or ""))


@register.tag("guide")
def guide(parser: template.base.Parser, token: template.base.Token) -> GuideNode:
    parts = token.split_contents()
    if len(parts) != 2:
        raise template.TemplateSyntaxError('{% guide %} takes one key: {% guide "continuum" %}')
    literal = parts[1][0] in "\"'" and parts[1][-1] == parts[1][0]
    if literal and parts[1][1:-1] not in guide_keys():
        raise template.TemplateSyntaxError(f"The guide has no page {parts[1]}.")
    return GuideNode(parser.compile_filter(parts[1]))


@register.filter
def guide_text(text: str) -> SafeString:
    """A block of a guide page, escaped, with its [[key]] links to other pages."""
    return guide_html(text)
