-- Views for analysts, recreated from this file whenever the warehouse is opened for writing.
-- Times: instants are TIMESTAMPTZ (UTC); kyiv_* columns are Europe/Kyiv wall-clock.

CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.url,
    a.slug,
    a.section,
    a.badge,
    a.title,
    a.lead,
    a.author,
    a.published_at,
    CAST(timezone('Europe/Kyiv', a.published_at) AS DATE) AS kyiv_date,
    strftime(timezone('Europe/Kyiv', a.published_at), '%H:%M') AS kyiv_time,
    a.modified_at,
    coalesce(t.tags, []) AS tags,
    a.word_count,
    a.language,
    a.first_seen_at,
    a.fetched_at,
    a.outlet
FROM articles AS a
LEFT JOIN (
    SELECT url, list(tag ORDER BY position) AS tags FROM article_tags GROUP BY url
) AS t USING (url);
COMMENT ON VIEW v_articles IS 'One row per article, with its Kyiv publication date and time, its tags as a list in page order, and its outlet.';

CREATE OR REPLACE VIEW v_daily_volume AS
SELECT kyiv_date, coalesce(badge, '(none)') AS badge, count(*) AS articles, outlet
FROM v_articles
GROUP BY ALL;
COMMENT ON VIEW v_daily_volume IS 'One row per Kyiv day, badge and outlet: how many articles were published.';

CREATE OR REPLACE VIEW v_tag_trends AS
SELECT
    CAST(isoyear(a.kyiv_date) AS INTEGER) AS iso_year,
    CAST(week(a.kyiv_date) AS INTEGER) AS iso_week,
    CAST(date_trunc('week', a.kyiv_date) AS DATE) AS week_start,
    t.tag,
    count(DISTINCT a.url) AS articles,
    a.outlet
FROM v_articles AS a
JOIN article_tags AS t USING (url)
GROUP BY ALL;
COMMENT ON VIEW v_tag_trends IS 'One row per tag, ISO week (Kyiv dates, weeks start on Monday) and outlet: how many articles carried the tag.';

CREATE OR REPLACE VIEW v_feed_dwell AS
WITH page_one AS (
    -- The first feed page only: positions on later pages are not "the top".
    SELECT observed_at, position, url, outlet
    FROM feed_observations
    WHERE page_url NOT LIKE '%page=%'
),
reads AS (
    -- Each outlet's feeds are read on their own: the next reading is the same outlet's.
    SELECT observed_at, outlet,
        lead(observed_at) OVER (PARTITION BY outlet ORDER BY observed_at) AS next_read
    FROM (SELECT DISTINCT observed_at, outlet FROM page_one)
),
top10 AS (
    SELECT p.url, sum(date_diff('second', p.observed_at, r.next_read)) / 60.0 AS minutes
    FROM page_one AS p
    JOIN reads AS r USING (observed_at, outlet)
    WHERE p.position < 10 AND r.next_read IS NOT NULL
    GROUP BY p.url
)
SELECT
    o.url,
    f.title,
    min(o.observed_at) AS first_seen_at,
    max(o.observed_at) AS last_seen_at,
    min(o.position) FILTER (WHERE o.page_url NOT LIKE '%page=%') AS best_position,
    coalesce(any_value(t.minutes), 0) AS minutes_in_top10,
    count(*) AS observations,
    o.outlet
FROM feed_observations AS o
LEFT JOIN feed_items AS f USING (url)
LEFT JOIN top10 AS t USING (url)
GROUP BY o.url, f.title, o.outlet;
COMMENT ON VIEW v_feed_dwell IS 'One row per URL seen in a feed (and the outlet whose feed it was): first and last time seen, best position on the first page, and minutes spent in its top 10 (the time from each reading that showed it there to the next reading of that page).';

CREATE OR REPLACE VIEW v_freshness AS
SELECT
    a.url,
    a.title,
    a.published_at,
    least(a.first_seen_at, f.first_seen_at) AS first_seen_at,
    date_diff('minute', a.published_at, least(a.first_seen_at, f.first_seen_at)) AS minutes_to_first_seen,
    a.outlet
FROM articles AS a
LEFT JOIN feed_items AS f USING (url);
COMMENT ON VIEW v_freshness IS 'One row per article (with its outlet): minutes between its publication and when newsflow first saw it (in the feed or as a page).';

CREATE OR REPLACE VIEW v_source_ranking AS
SELECT
    strftime(timezone('Europe/Kyiv', coalesce(a.published_at, f.published_at)), '%Y-%m') AS kyiv_month,
    h.source,
    any_value(h.source_kind) AS source_kind,
    count(*) AS headlines,
    rank() OVER (PARTITION BY kyiv_month, h.outlet ORDER BY count(*) DESC) AS rank,
    h.outlet
FROM headline_sources AS h
LEFT JOIN articles AS a USING (url)
LEFT JOIN feed_items AS f USING (url)
GROUP BY kyiv_month, h.outlet, h.source;
COMMENT ON VIEW v_source_ranking IS 'One row per Kyiv month, outlet and headline source: how many of the outlet''s article or feed headlines named it, ranked within the month and outlet.';

CREATE OR REPLACE VIEW v_quarantine AS
SELECT
    q.quarantined_at,
    q.run_id,
    q.table_name,
    q.record ->> 'url' AS url,
    array_to_string(q.reasons, ', ') AS reasons,
    q.record,
    -- The record's own outlet; a page that did not parse has none: its run's (a crawl run reads
    -- one outlet); a fact quarantined before facts had one: its article's. The General Staff
    -- series belongs to no outlet (NULL).
    coalesce(q.record ->> 'outlet', crawl.outlet, a.outlet) AS outlet
FROM quarantine AS q
LEFT JOIN (
    SELECT run_id, any_value(outlet) AS outlet FROM fetch_log WHERE outlet IS NOT NULL GROUP BY run_id
) AS crawl ON crawl.run_id = q.run_id
LEFT JOIN articles AS a ON a.url = (q.record ->> 'url');
COMMENT ON VIEW v_quarantine IS 'One row per quarantined record: when, which run, which table, its URL, the checks it broke and its outlet.';

CREATE OR REPLACE VIEW v_loss_reconciliation AS
WITH reported AS (
    SELECT report_date, category, basis, count, url, stated_at, fields, sentence, rule, false AS quarantined,
        outlet
    FROM loss_reports
    UNION ALL
    SELECT
        CAST(record ->> 'report_date' AS DATE), record ->> 'category', record ->> 'basis',
        CAST(record ->> 'count' AS BIGINT), record ->> 'url', CAST(record ->> 'stated_at' AS TIMESTAMPTZ),
        CAST(record -> 'fields' AS VARCHAR[]), record ->> 'sentence', record ->> 'rule', true,
        -- A record quarantined before facts had an outlet: its article's.
        coalesce(record ->> 'outlet', (SELECT a.outlet FROM articles AS a WHERE a.url = (record ->> 'url')))
    FROM quarantine
    WHERE table_name = 'loss_reports'
)
SELECT
    r.report_date,
    r.category,
    r.basis,
    r.count AS reported,
    CASE r.basis WHEN 'daily' THEN o.daily ELSE o.cumulative END AS official,
    r.count - official AS difference,
    CASE
        WHEN official IS NULL THEN 'no official figure'
        WHEN r.count = official THEN 'match'
        ELSE 'mismatch'
    END AS status,
    r.quarantined,
    r.url,
    r.stated_at,
    r.fields,
    r.sentence,
    r.rule,
    r.outlet
FROM reported AS r
LEFT JOIN official_losses AS o ON o.day = r.report_date AND o.category = r.category
ORDER BY r.report_date, r.category, r.stated_at;
COMMENT ON VIEW v_loss_reconciliation IS 'One row per loss figure an article reported (loaded or quarantined; fields: headline and/or lead; outlet: the article''s): the official figure for that day and category, the difference, and match / mismatch / no official figure.';

CREATE OR REPLACE VIEW v_failures AS
SELECT
    run_id,
    requested_at,
    url,
    kind,
    failure,
    status,
    error,
    attempts,
    elapsed_ms,
    warc_file,
    warc_offset,
    outlet
FROM fetch_log
WHERE error IS NOT NULL;
COMMENT ON VIEW v_failures IS 'One row per request that failed or whose answer could not be used (fetch_log rows with an error): its failure kind as the run summary counts it (timeout, HTTP <status>, refused, too large, blocked, bad header, capped, connection, parse problem, other), its error, and its outlet (NULL: the General Staff series).';
