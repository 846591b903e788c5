-- Feed items whose article page is not in the warehouse (not fetched yet, failed, or quarantined), with the last error.
SELECT f.title, f.published_at, f.url,
       (SELECT l.error FROM fetch_log AS l WHERE l.url = f.url ORDER BY l.requested_at DESC LIMIT 1) AS last_error
FROM feed_items AS f
ANTI JOIN articles AS a USING (url)
ORDER BY f.published_at DESC;
