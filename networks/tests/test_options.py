"""Per-network publishing options: each value checked against what the adapter declares."""

from networks.options import OptionKind, PublishOption, check_options

BOARD = PublishOption("board_id", "Board", OptionKind.CHOICE, required=True, account_choices=True)
TITLE = PublishOption("title", "Title", max_length=10)
LINK = PublishOption("link", "Destination link", OptionKind.URL)
PRIVACY = PublishOption("privacy", "Privacy", OptionKind.CHOICE, choices=(("public", "Public"),))
KIDS = PublishOption("made_for_kids", "Made for kids", OptionKind.BOOL)
DECLARED = (BOARD, TITLE, LINK, PRIVACY, KIDS)


def codes(values, **kwargs):
    return {v.field: v.code for v in check_options(DECLARED, values, **kwargs)}


def test_a_required_option_left_empty_is_named():
    assert codes({}) == {"options.board_id": "option_required"}


def test_each_kind_of_option_is_checked_its_own_way():
    found = codes(
        {
            "board_id": "b1",
            "title": "a" * 11,
            "link": "not a link",
            "privacy": "secret",
            "made_for_kids": "yes",
        }
    )
    assert found == {
        "options.title": "option_too_long",
        "options.link": "option_not_a_url",
        "options.privacy": "option_not_a_choice",
        "options.made_for_kids": "option_not_a_choice",
    }


def test_the_accounts_own_choices_are_checked_only_when_known():
    assert codes({"board_id": "b9"}) == {}
    assert codes({"board_id": "b9"}, account_choices={"board_id": ["b1"]}) == {
        "options.board_id": "option_not_a_choice"
    }
    assert codes({"board_id": "b1"}, account_choices={"board_id": ["b1"]}) == {}


def test_an_option_the_network_does_not_declare_is_refused():
    assert codes({"board_id": "b1", "colour": "red"}) == {"options.colour": "option_unknown"}


def test_good_values_pass():
    values = {
        "board_id": "b1",
        "title": "Été",
        "link": "https://cafe-tanger.ma/menu",
        "privacy": "public",
        "made_for_kids": False,
    }
    assert codes(values) == {}
