-- Several outlets (sources/outlets.toml): every crawled table says which outlet a row came from,
-- and `articles` which reader read it (`espreso`, or `generic` for another outlet's pages or when
-- Espreso's template was gone), with what a generic reader finds: the authors as a list, and the
-- stated wall time when the page gives no zone. Rows written before are Espreso's, read by its
-- reader, with a zone. A page that states no zone has no instant (published_at NULL, never a
-- guessed zone): the contract's only relaxed constraint.
ALTER TABLE articles ADD COLUMN authors VARCHAR[];
ALTER TABLE articles ADD COLUMN published_local TIMESTAMP;
ALTER TABLE articles ADD COLUMN zone_stated BOOLEAN DEFAULT 'true';
ALTER TABLE articles ADD COLUMN reader VARCHAR DEFAULT 'espreso';
ALTER TABLE articles ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE articles ALTER COLUMN published_at DROP NOT NULL;
ALTER TABLE article_tags ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE article_related ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE feed_items ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE feed_observations ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE headline_sources ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE fetch_log ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
COMMENT ON COLUMN articles.authors IS 'Every author the page names, in page order (the Espreso reader: its one author).';
COMMENT ON COLUMN articles.published_local IS 'The wall time the page states when it gives no zone (then published_at is NULL); NULL otherwise.';
COMMENT ON COLUMN articles.zone_stated IS 'Whether the page stated the zone of its publication time (false: only published_local is known).';
COMMENT ON COLUMN articles.reader IS 'Which reader read the page: espreso (the Espreso template) or generic (any outlet; for Espreso, its template was gone).';
COMMENT ON COLUMN articles.outlet IS 'The outlet (sources/outlets.toml) the article came from.';
COMMENT ON COLUMN article_tags.outlet IS 'The outlet the article came from.';
COMMENT ON COLUMN article_related.outlet IS 'The outlet the article came from.';
COMMENT ON COLUMN feed_items.outlet IS 'The outlet whose feed listed the URL.';
COMMENT ON COLUMN feed_observations.outlet IS 'The outlet whose feed page was read.';
COMMENT ON COLUMN headline_sources.outlet IS 'The outlet of the headline.';
COMMENT ON COLUMN fetch_log.outlet IS 'The outlet the request was made for (NULL: no outlet, e.g. the General Staff series).';
-- Old requests for the General Staff series belong to no outlet; from here on, a row written
-- without its outlet says so (NULL) rather than claiming Espreso.
UPDATE fetch_log SET outlet = NULL WHERE kind = 'official';
ALTER TABLE articles ALTER COLUMN reader DROP DEFAULT;
ALTER TABLE articles ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE article_tags ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE article_related ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE feed_items ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE feed_observations ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE headline_sources ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE fetch_log ALTER COLUMN outlet DROP DEFAULT;
