-- Articles per Kyiv day, one column per badge.
PIVOT v_daily_volume ON badge USING sum(articles) GROUP BY kyiv_date ORDER BY kyiv_date;
