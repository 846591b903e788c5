-- Which places does the news name most? One row per place, with coordinates for a map.
SELECT place, kind, country, latitude, longitude, count(DISTINCT url) AS articles
FROM places
GROUP BY ALL
ORDER BY articles DESC, place
LIMIT 20;
