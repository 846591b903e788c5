-- Who is quoted in headlines: persons, roles or organisations?
SELECT coalesce(source_kind, '(unknown)') AS source_kind, count(*) AS headlines, count(DISTINCT source) AS sources
FROM headline_sources
GROUP BY ALL
ORDER BY headlines DESC, source_kind;
