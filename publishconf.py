"""Settings for the public site (``make publish``): pelicanconf.py plus the
absolute URL readers and feed aggregators see."""

import os
import sys

# pelicanconf.py beside this file, whatever folder the build runs in.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

# Where the site is served from; no trailing slash. `make init` sets it;
# `make publish` refuses this sample address.
SITEURL = "https://blog.example.org"

# The full-text search index (Pagefind): built for the published site, not
# on every `make html`, since any change to any post rebuilds all of it.
SEARCH_INDEX = True

# A WebSub hub to tell when feeds change (make publish, make upload), so
# planets that subscribed through it hear of a new post at once; every feed
# names it. Only here, not in pelicanconf.py: local builds tell no one.
# WEBSUB_HUB = "https://pubsubhubbub.appspot.com/"
