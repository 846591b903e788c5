-- Articles and words per site section.
SELECT coalesce(section, '(none)') AS section, count(*) AS articles, sum(word_count) AS words
FROM articles
GROUP BY ALL
ORDER BY articles DESC, section;
