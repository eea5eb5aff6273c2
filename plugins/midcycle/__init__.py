"""midcycle: a Pelican plugin for blogs of long meetup-summary series.

It reads posts by path, builds one immutable site model and writes every
page and feed of the site from it. See DESIGN.md for the page anatomy and
the URL scheme.
"""

from .plugin import register

__all__ = ["register"]
