-- The crawler: revisions of edited articles, and the state of resumable backfills.
CREATE TABLE article_revisions (
    url          VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    lead         VARCHAR,
    body_text    VARCHAR NOT NULL,
    modified_at  TIMESTAMPTZ,
    fetched_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (url, fetched_at)
);
COMMENT ON TABLE article_revisions IS 'One row per replaced version of an article: what it said before an edit changed its content_hash.';

CREATE TABLE backfill_progress (
    since        DATE NOT NULL,
    until        DATE NOT NULL,
    next_page    INTEGER NOT NULL,
    feed_done    BOOLEAN NOT NULL,
    sitemap_done BOOLEAN NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (since, until)
);
COMMENT ON TABLE backfill_progress IS 'One row per backfill window: how far its walk of the feed pages and sitemaps got, so an interrupted backfill resumes.';

CREATE TABLE backfill_queue (
    since DATE NOT NULL,
    until DATE NOT NULL,
    url   VARCHAR NOT NULL,
    PRIMARY KEY (since, until, url)
);
COMMENT ON TABLE backfill_queue IS 'One row per article URL a backfill window found and has yet to load.';
