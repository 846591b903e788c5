-- What is the latest stated toll of each strike? An Updated article revises its numbers; every version stays in strike_events.
SELECT place, weapon, event_date,
       arg_max(killed, stated_at) AS killed,
       arg_max(injured, stated_at) AS injured,
       count(*) AS versions,
       url
FROM strike_events
GROUP BY place, weapon, event_date, url
ORDER BY event_date DESC, place;
