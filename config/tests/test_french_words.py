"""French words as people read them: a state is not a verb, a language is named in its own
language, and a name after "de" never needs an elision the catalogue cannot make."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from reputation.models.crises import CrisisState

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po"

# Names put after a bare "de" would need "d’" before a vowel (Argana, Instagram, Amine):
# the French strings name the kind of thing first ("de la marque Argana").
NAME_AFTER_DE = re.compile(r"\bde %\((brand|account|network|person|name|tz)\)s")


def test_no_french_string_puts_a_name_right_after_de():
    msgstrs = [
        line
        for line in CATALOGUE.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("msgid", "#", "msgctxt"))
    ]
    assert [line for line in msgstrs if NAME_AFTER_DE.search(line)] == []


def test_a_brand_starting_with_a_vowel_reads_without_de_argana():
    with translation.override("fr"):
        text = Template(
            "{% load i18n %}{% blocktranslate with brand=name %}Posts of {{ brand }} to approve"
            "{% endblocktranslate %}"
        ).render(Context({"name": "Argana"}))
    assert "de Argana" not in text
    assert text == "Publications de la marque Argana à valider"


def test_an_open_state_is_not_the_verb_open():
    with translation.override("fr"):
        assert str(CrisisState.OPEN.label) == "Ouvert"
        assert pgettext("enabled state", "On") == "Actif"
        assert pgettext("audit: the object acted on", "On") == "Objet"
        rendered = Template('{% load i18n %}{% translate "On" context "enabled state" %}').render(
            Context()
        )
        assert rendered == "Actif"


@pytest.mark.django_db
def test_the_language_switch_names_each_language_in_its_own_language(client):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">English</button>" in body
    assert ">Français</button>" in body
    assert "Anglais" not in body
