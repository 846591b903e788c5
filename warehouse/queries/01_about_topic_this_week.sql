-- What did Espreso publish about a topic in the seven days up to a moment?
-- SET VARIABLE topic = 'Pokrovsk'; SET VARIABLE as_of = TIMESTAMPTZ '2025-10-27 12:00:00+02';
SELECT kyiv_date, kyiv_time, badge, title, url
FROM v_articles
WHERE published_at > coalesce(getvariable('as_of'), now()) - INTERVAL 7 DAY
  AND published_at <= coalesce(getvariable('as_of'), now())
  AND (title ILIKE '%' || getvariable('topic') || '%'
       OR lead ILIKE '%' || getvariable('topic') || '%'
       OR list_contains(list_transform(tags, lambda t: lower(t)), lower(getvariable('topic'))))
ORDER BY published_at DESC;
