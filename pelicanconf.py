"""Settings for building the site locally (``make html``).

``publishconf.py`` starts from these and sets the public ``SITEURL``.
midcycle's own settings and their defaults are documented in
``plugins/midcycle/settings.py``; the Pelican settings it controls (its
pages and feeds, future-dated posts) are forced there too.
"""

AUTHOR = "Robin Carter"
SITENAME = "Robin's midcycle notes"
# The home page's description for search engines (see the README, "Being found").
SITESUBTITLE = "Summaries of OpenStack mid-cycle meetups, notes on running them, and a woodturning log."
# Where `make serve` shows the site; publishconf.py sets the public URL.
# Always absolute: feeds and planets need absolute links.
SITEURL = "http://127.0.0.1:8000"

PATH = "content"
# Relative to this file, as PATH is (Pelican's default is the current folder's).
CACHE_PATH = "cache"
# midcycle brings its own theme; this folder holds what this site changes
# (see theme/README.md).
THEME = "theme"
TIMEZONE = "Australia/Sydney"
DEFAULT_LANG = "en"

PLUGINS = ["midcycle"]

# Posts per listing page (home, paths, tags, date archives); False puts
# each listing on one page.
DEFAULT_PAGINATION = 10

# Entries in each feed, the newest (None: every post).
FEED_MAX_ITEMS = 20

# midcycle copies the images and attachments beside the posts to the same
# place in output/ (so a post's relative link to images/bowl.png keeps
# working), each only when it changed. Pelican's STATIC_PATHS are for other
# folders it should copy as they are; the files under them are Pelican's.
STATIC_PATHS = []

# midcycle writes every feed itself; Pelican's own feeds stay off (saying so
# here also keeps Pelican from warning about feeds without a SITEURL).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# The file stem is the slug ("Slug:" overrides it), never the title.
SLUGIFY_SOURCE = "basename"
