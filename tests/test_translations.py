"""Bahasa Indonesia is complete: no visible template text outside a translation tag, no
string missing from the catalogue, none untranslated or fuzzy."""

from convergence.i18n_check import (
    catalogue_problems,
    compiled_catalogue_problems,
    untranslatable_calls,
    untranslatable_calls_in,
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


def test_every_translation_call_is_on_a_literal():
    assert untranslatable_calls() == []


def test_the_call_check_catches_what_makemessages_cannot_extract():
    source = (
        "from django.utils.translation import gettext as _\n"
        "from django.utils.translation import ngettext\n"
        "name = 'x'\n"
        "A = _('Fine')\n"
        "B = _(f'Hello {name}')\n"
        "C = _(name)\n"
        "D = f\"{_('Legend')}: x\"\n"
        "E = ngettext('%(n)d pair', '%(n)d pairs', 3)\n"
        "F = _('Hello ' + name)\n"
        "from django.utils.translation import gettext_lazy as _lazy\n"
        "G = _lazy('Never extracted')\n"
    )
    assert untranslatable_calls_in(source) == [
        (5, "_() on something other than a literal"),
        (6, "_() on something other than a literal"),
        (7, "_() inside an f-string"),
        (9, "_() on something other than a literal"),
        (11, "_lazy() is an alias makemessages does not read"),
    ]


def test_the_network_legend_speaks_the_reader_s_language(viewer_client, open_round, actors):
    """It was English in the Indonesian page, the SVG and the PDF: _() inside f-strings."""
    from tests.factories import score

    score(open_round, actors[0], actors[1], 3)
    svg = viewer_client.get("/regions/72.10/network.svg").content.decode()
    assert "Garis: tingkat konvergensi" in svg
    assert "tidak digambar" in svg and "Links: degree" not in svg


def test_the_compiled_catalogue_is_the_catalogue():
    assert compiled_catalogue_problems() == []
