-- How many OPINION pieces per Kyiv day?
SELECT kyiv_date, articles AS opinion_pieces
FROM v_daily_volume
WHERE badge = 'OPINION'
ORDER BY kyiv_date;
