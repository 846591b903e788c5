"""The crawler's default limits, in a module of their own with no imports: the settings read them
at every command's start without loading the HTTP stack."""

# One request, headers and body together, in seconds.
REQUEST_DEADLINE_S = 60.0
# The fetch stage of one run (or backfill batch), in seconds.
FETCH_BUDGET_S = 600.0
# The longest Crawl-delay honoured; a longer one is cut to this and warned about.
MAX_CRAWL_DELAY_S = 10.0
# New article URLs taken from RSS and sitemaps per run (the newest): the rest wait for later runs.
MAX_NEW_URLS = 300
