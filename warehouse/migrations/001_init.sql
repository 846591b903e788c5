-- The warehouse contract (../DESIGN.md): entity tables, then operations tables.
CREATE TABLE articles (
    url           VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,
    slug          VARCHAR NOT NULL,
    section       VARCHAR,
    badge         VARCHAR,
    title         VARCHAR NOT NULL,
    lead          VARCHAR,
    author        VARCHAR,
    author_url    VARCHAR,
    published_at  TIMESTAMPTZ NOT NULL,
    modified_at   TIMESTAMPTZ,
    body_text     VARCHAR NOT NULL,
    word_count    INTEGER NOT NULL,
    image_url     VARCHAR,
    language      VARCHAR,
    content_hash  VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE articles IS 'One row per article URL: the latest fetched version of the page.';

CREATE TABLE article_tags (
    url      VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    tag      VARCHAR NOT NULL,
    tag_url  VARCHAR,
    PRIMARY KEY (url, position)
);
COMMENT ON TABLE article_tags IS 'One row per tag of an article, in page order (position 0-based).';

CREATE TABLE article_related (
    url           VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    related_url   VARCHAR NOT NULL,
    related_title VARCHAR,
    PRIMARY KEY (url, position)
);
COMMENT ON TABLE article_related IS 'One row per "Read also" link under an article, in page order.';

CREATE TABLE feed_items (
    url           VARCHAR PRIMARY KEY,
    title         VARCHAR NOT NULL,
    subtitle      VARCHAR,
    badge         VARCHAR,
    published_at  TIMESTAMPTZ,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE feed_items IS 'One row per URL ever seen in the News feed, with its newest headline.';

CREATE TABLE feed_observations (
    observed_at TIMESTAMPTZ NOT NULL,
    page_url    VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    url         VARCHAR NOT NULL,
    PRIMARY KEY (observed_at, page_url, position)
);
COMMENT ON TABLE feed_observations IS 'One row per feed row each time a feed page was read (position 0 = top).';

CREATE TABLE fetch_log (
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    status       INTEGER,
    bytes        BIGINT NOT NULL,
    elapsed_ms   INTEGER NOT NULL,
    error        VARCHAR,
    attempts     INTEGER NOT NULL,
    final_url    VARCHAR,
    etag         VARCHAR,
    last_modified VARCHAR,
    warc_file    VARCHAR,
    warc_offset  BIGINT
);
COMMENT ON TABLE fetch_log IS 'One row per HTTP request (or refused request) of a run: outcome or error, tries, validators for conditional requests, and where its raw answer is in the WARC archive.';

CREATE TABLE quarantine (
    table_name     VARCHAR NOT NULL,
    record         JSON NOT NULL,
    reasons        VARCHAR[] NOT NULL,
    run_id         VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE quarantine IS 'One row per record kept out of its table, with the reasons and the run that saw it.';

CREATE TABLE load_runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ NOT NULL,
    rows_in           BIGINT NOT NULL,
    rows_loaded       BIGINT NOT NULL,
    rows_quarantined  BIGINT NOT NULL,
    state             VARCHAR NOT NULL
);
COMMENT ON TABLE load_runs IS 'One row per load: the batch it wrote and how it ended.';
