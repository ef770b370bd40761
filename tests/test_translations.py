"""Bahasa Indonesia is complete: no visible template text outside a translation tag, no
string missing from the catalogue, none untranslated or fuzzy."""

from convergence.i18n_check import (
    catalogue_problems,
    unwrapped_in_templates,
    unwrapped_template_text,
)


def test_every_visible_template_string_is_translatable():
    assert unwrapped_in_templates() == []


def test_the_template_check_catches_an_unwrapped_string():
    template = (
        "{% load i18n %}\n<h1>{% translate 'Matrix' %}</h1>\n<p>Hello world</p>\n"
        '<a title="Open the matrix" href="/">{{ region.name }}</a>\n'
        "{% blocktranslate %}All {{ n }} pairs{% endblocktranslate %}\n"
        "{# a comment #}{% comment %}Not shown{% endcomment %}\n"
    )
    assert unwrapped_template_text(template) == [(3, "Hello world"), (4, "Open the matrix")]


def test_the_catalogue_is_complete_and_current():
    assert catalogue_problems() == []


def test_the_catalogue_check_fails_on_a_string_nobody_extracted():
    source = (
        "from django.utils.translation import gettext as _\n\n"
        "MESSAGE = _('A deliberately unextracted sentence')\n"
    )
    problems = catalogue_problems(extra_source=source)
    assert problems == [
        "not in the catalogue (run `make messages`): 'A deliberately unextracted sentence'"
    ]
