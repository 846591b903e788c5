-- Which sources (experts, officials, organisations) appear most in Exclusive headlines?
SELECT h.source, h.source_kind, count(*) AS exclusives
FROM headline_sources AS h
JOIN articles AS a USING (url)
WHERE a.badge = 'Exclusive'
GROUP BY ALL
ORDER BY exclusives DESC, h.source;
