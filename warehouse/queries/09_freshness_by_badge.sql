-- How quickly does newsflow see news? Median and worst minutes from publication to first sight, per badge.
SELECT coalesce(a.badge, '(none)') AS badge, count(*) AS articles,
       median(f.minutes_to_first_seen) AS median_minutes, max(f.minutes_to_first_seen) AS max_minutes
FROM v_freshness AS f
JOIN articles AS a USING (url)
GROUP BY ALL
ORDER BY badge;
