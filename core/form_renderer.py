"""The form renderer (FORM_RENDERER): Django's own, with plain <select> elements written
in Python.

Django renders a select's every option through the template engine (an include per
option): a list of 275 owners cost the accounts list ~20 ms a page, about a third of its
server time at DESIGN §9 scale, and the team tab's "add a member" list as much. The
markup here is Django's to the byte (tests/core/test_form_renderer.py compares the two);
any select that does not look like Django's own — another option template, a label that
is not text — goes to the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    # As `{{ value|stringformat:'s' }}`: str(), escaped unless it was marked safe.
    return conditional_escape(value if isinstance(value, SafeData) else f"{value}")


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html, in the same order.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _plain(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION and isinstance(option["label"], str)
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 — every part is escaped above


class QuickSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain(widget):
            return select_html(widget)
        return super().render(template_name, context, request=request)
