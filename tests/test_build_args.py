"""The safe build's command line: settings given with -e that are not JSON."""

from __future__ import annotations

from midcycle.build import lenient_overrides


def test_values_that_are_not_json_are_taken_as_text():
    argv = ["content", "-e", "SITENAME=My blog", "DEFAULT_PAGINATION=5", 'SITEURL="http://x"', "X=false",
            "Y=[1, 2]", "Z=", "-s", "conf.py", "A=b"]
    assert lenient_overrides(argv) == [
        "content", "-e", 'SITENAME="My blog"', "DEFAULT_PAGINATION=5", 'SITEURL="http://x"', "X=false",
        "Y=[1, 2]", 'Z=""', "-s", "conf.py", "A=b"]  # A=b follows -s, so it is no setting
    assert lenient_overrides(["--extra-settings", "T=it's", "-q"]) == ["--extra-settings", 'T="it\'s"', "-q"]
    assert lenient_overrides(["-e", 'N="caf\u00e9"']) == ["-e", 'N="caf\u00e9"']
