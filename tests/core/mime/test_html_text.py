"""The text rendering of an HTML body: where its links go."""

from desktop_app.core.mime.html_text import html_to_text


def test_a_link_shows_where_it_goes_beside_its_words() -> None:
    rendered = html_to_text('<p>See <a href="https://lab.example/r/7">the results</a>.</p>')
    assert rendered == "See the results <https://lab.example/r/7>."


def test_a_link_whose_words_are_its_target_is_not_written_twice() -> None:
    rendered = html_to_text('<a href="https://lab.example/">https://lab.example/</a>')
    assert rendered == "https://lab.example/"


def test_script_and_data_links_are_not_shown() -> None:
    rendered = html_to_text(
        '<a href="javascript:steal()">one</a> <a href="data:text/html,x">two</a>'
    )
    assert rendered == "one two"


def test_a_target_written_earlier_in_the_line_is_still_shown_beside_the_link() -> None:
    # Only the link's own words are compared with its target: the line around it may
    # name another address, or the same one, and hundreds of links.
    rendered = html_to_text(
        '<p>Old: https://lab.example/r/7 new: <a href="https://lab.example/r/7">here</a></p>'
    )
    assert rendered == "Old: https://lab.example/r/7 new: here <https://lab.example/r/7>"


def test_a_link_inside_a_link_ends_the_first_as_in_a_browser() -> None:
    rendered = html_to_text('<a href="https://a.example">one <a href="https://b.example">two</a>')
    assert rendered == "one <https://a.example>two <https://b.example>"
