"""What people read is words, not codes or addresses: audit verbs as labels, people by name,
states and sentiments in exports by their translated names."""

import re
from pathlib import Path

from django.urls import reverse

from agency.audit_verbs import AUDIT_VERB_LABELS
from agency.services.audit import actor_label, audit_record

ROOT = Path(__file__).resolve().parents[2]
VERB = re.compile(r'verb="([a-z_]+\.[a-z_.]+)"|audit_record\([^)]*?"([a-z_]+\.[a-z_.]+)"', re.S)


def test_every_audit_verb_the_code_writes_has_a_label():
    written = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "node_modules" in path.parts:
            continue
        for match in VERB.finditer(path.read_text(encoding="utf-8")):
            written.add(match.group(1) or match.group(2))
    assert "agency.created" in written
    assert sorted(written - set(AUDIT_VERB_LABELS)) == []


def test_a_person_acting_is_named_not_shown_by_email(owner_of_a):
    owner_of_a.user.full_name = "Salma Bennani"
    assert actor_label(owner_of_a) == "Salma Bennani"
    owner_of_a.user.full_name = ""
    assert actor_label(owner_of_a) == owner_of_a.user.email


def test_the_audit_log_shows_what_happened_in_french(owner_of_a, agency_a, login, in_agency):
    with in_agency(agency_a):
        audit_record(agency=agency_a, actor=owner_of_a, verb="agency.created", target=agency_a)
    body = login(owner_of_a).get(reverse("dashboard:audit_log"), HTTP_ACCEPT_LANGUAGE="fr")
    text = body.content.decode()
    assert "Agence créée" in text
    assert ">agency.created<" not in text
    assert owner_of_a.user.get_full_name() in text
