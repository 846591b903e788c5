-- Which articles were edited after publication (modified more than 5 minutes later), newest edit first?
SELECT title, badge, published_at, modified_at,
       date_diff('minute', published_at, modified_at) AS minutes_later, url
FROM articles
WHERE modified_at > published_at + INTERVAL 5 MINUTE
ORDER BY modified_at DESC;
