"""<select> lists written in Python (core/form_renderer.py) are Django's markup to the
byte: values, labels and attributes escaped, the selected option, groups, several
values; anything else still goes through the templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import QuickSelectRenderer

CHOICES = [
    ("", "Any owner"),
    (1, 'Zoë "Z" <Admin> & Co'),
    ("two", mark_safe("<b>safe</b>")),
    ("Group <1>", [(3, "three"), (4, "four")]),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    chosen = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "x<y", "data-on": True, "off": False})
    )
    many = forms.MultipleChoiceField(choices=CHOICES)
    yes_no = forms.NullBooleanField()  # lazy labels: the templates render it
    pick = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "1", "chosen": "two", "many": ["1", "4"], "yes_no": "true", "pick": "3"},
        {"chosen": "not a choice", "many": ["<x>"]},
    ],
)
def test_every_select_renders_as_django_renders_it(data):
    for name in Everything.base_fields:
        ours = Everything(data or None, renderer=QuickSelectRenderer())[name].as_widget()
        django = Everything(data or None, renderer=DjangoTemplates())[name].as_widget()
        assert ours == django, name


def test_a_select_is_written_without_a_template_per_option(monkeypatch):
    renderer = QuickSelectRenderer()
    used = []
    original = DjangoTemplates.render
    monkeypatch.setattr(
        DjangoTemplates,
        "render",
        lambda self, name, *a, **k: used.append(name) or original(self, name, *a, **k),
    )
    html = Everything(renderer=renderer)["plain"].as_widget()
    assert used == [] and html.startswith('<select name="plain" id="id_plain">')
    assert "&lt;Admin&gt; &amp; Co" in html and "<b>safe</b>" in html


def test_the_accounts_list_filter_uses_it(client, admin_user, settings):
    assert settings.FORM_RENDERER == "core.form_renderer.QuickSelectRenderer"
    client.force_login(admin_user)
    page = client.get("/accounts/").content.decode()
    assert '<select name="owner" id="id_owner">' in page
