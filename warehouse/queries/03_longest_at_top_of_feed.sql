-- Which stories stayed longest in the top 10 of the News feed?
SELECT title, minutes_in_top10, best_position, first_seen_at, last_seen_at, url
FROM v_feed_dwell
ORDER BY minutes_in_top10 DESC, best_position, first_seen_at
LIMIT 20;
