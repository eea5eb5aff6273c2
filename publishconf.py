"""Settings for the public site (``make publish``): pelicanconf.py plus the
absolute URL readers and feed aggregators see."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

# Change this to where the site is served from; no trailing slash.
SITEURL = "https://blog.example.org"
