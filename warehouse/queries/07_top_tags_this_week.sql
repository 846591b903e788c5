-- The most used tags (besides the list tag "News") in the ISO week of a moment.
-- SET VARIABLE as_of = TIMESTAMPTZ '2025-10-27 12:00:00+02';
SELECT tag, articles
FROM v_tag_trends
WHERE week_start = CAST(date_trunc('week', CAST(timezone('Europe/Kyiv', coalesce(getvariable('as_of'), now())) AS DATE)) AS DATE)
  AND tag <> 'News'
ORDER BY articles DESC, tag
LIMIT 10;
