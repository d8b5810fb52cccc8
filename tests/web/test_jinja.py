"""The pages' template environment (web/jinja.py)."""

from __future__ import annotations

from joinedup.web.jinja import environment


def test_text_shown_on_a_page_is_escaped_even_if_a_setting_turns_escaping_off() -> None:
    for options in ({}, {"autoescape": False}):
        page = environment(**options).from_string("<p>{{ note }}</p>")
        shown = page.render(note='<script>alert("x")</script>')
        assert shown == "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>"
