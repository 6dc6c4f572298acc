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


def test_an_unfinished_tag_at_the_end_is_text() -> None:
    assert html_to_text("<p>Results</p>dose < 5 mg, <b") == "Results\n\ndose < 5 mg, <b"


def test_thousands_of_unfinished_tags_at_the_end_are_read_at_once() -> None:
    # The parser's work is in C and regular expressions, which counting lines cannot see;
    # Python's own parser took hours on this before 3.11.13, so the suite's per-test
    # timeout is what fails a return to it.
    for unfinished in ("<a ", "</a ", "<?", "</ "):
        rendered = html_to_text("<p>hi</p>" + unfinished * 40_000)
        assert rendered == "hi\n\n" + (unfinished * 40_000).strip()
