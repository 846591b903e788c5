-- Who wrote the most articles, and with which badges?
SELECT author, count(*) AS articles, list(DISTINCT badge ORDER BY badge) FILTER (WHERE badge IS NOT NULL) AS badges
FROM articles
WHERE author IS NOT NULL
GROUP BY author
ORDER BY articles DESC, author;
