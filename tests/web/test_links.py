"""The addresses pages link to are reversed from the page names, and a name that does not
reverse is an error in the code, never quietly replaced by a guessed address."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, set_script_prefix

from joinedup.web.case import links
from joinedup.web.case.access_views import child_page
from joinedup.web.work.pages import child_href, review_href


def test_each_helper_gives_the_page_s_address() -> None:
    assert links.alert(41) == "/alerts/41/"
    assert links.request(42) == "/requests/42/"
    assert links.meeting(43) == "/meetings/43/"
    assert child_href(44) == "/children/44/"
    assert child_page(45) == "/children/45/"
    assert review_href(46) == "/reviews/46/"


def test_a_site_under_a_prefix_links_under_it() -> None:
    set_script_prefix("/partnership/")
    try:
        assert links.alert(7) == "/partnership/alerts/7/"
        assert links.meeting(8) == "/partnership/meetings/8/"
    finally:
        set_script_prefix("/")
    assert links.alert(7) == "/alerts/7/"


def test_a_page_name_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(NoReverseMatch):
        links.page("no-such-page", 1)
