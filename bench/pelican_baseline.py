"""Plain Pelican settings for the benchmark's baseline: what a user would
pick for the same blog without midcycle. Default theme, tag and category
feeds, pagination, the file stem as slug (the corpus keeps stems unique, so
every post gets its own /{slug}.html without collisions)."""

# No plugins. Without a PLUGINS list Pelican loads every plugin installed in
# its namespace, midcycle included once it is installed (pip install -e .):
# the baseline would be midcycle itself.
PLUGINS = []

AUTHOR = "Bench"
SITENAME = "Benchmark blog"
SITEURL = "http://127.0.0.1:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
SLUGIFY_SOURCE = "basename"
DEFAULT_PAGINATION = 10
# Paginated pages go to their own folder so page 2 of the index never
# collides with a post or a category page.
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"), (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
FEED_MAX_ITEMS = 20
STATIC_PATHS = []
PAGE_PATHS = []
