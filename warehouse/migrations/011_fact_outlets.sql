-- Facts per outlet: every facts table says which outlet the article stating a fact came from
-- (the official series stays without one, like the General Staff's requests in fetch_log).
-- Rows drawn before this are the outlet of the article they came from, else Espreso's.
ALTER TABLE loss_reports ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE strike_events ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE combat_reports ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE prisoner_exchanges ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
ALTER TABLE places ADD COLUMN outlet VARCHAR DEFAULT 'espreso';
UPDATE loss_reports AS t SET outlet = a.outlet FROM articles AS a
WHERE a.url = t.url AND a.outlet IS DISTINCT FROM t.outlet;
UPDATE strike_events AS t SET outlet = a.outlet FROM articles AS a
WHERE a.url = t.url AND a.outlet IS DISTINCT FROM t.outlet;
UPDATE combat_reports AS t SET outlet = a.outlet FROM articles AS a
WHERE a.url = t.url AND a.outlet IS DISTINCT FROM t.outlet;
UPDATE prisoner_exchanges AS t SET outlet = a.outlet FROM articles AS a
WHERE a.url = t.url AND a.outlet IS DISTINCT FROM t.outlet;
UPDATE places AS t SET outlet = a.outlet FROM articles AS a
WHERE a.url = t.url AND a.outlet IS DISTINCT FROM t.outlet;
COMMENT ON COLUMN loss_reports.outlet IS 'The outlet of the article stating the figure.';
COMMENT ON COLUMN strike_events.outlet IS 'The outlet of the article stating the attack.';
COMMENT ON COLUMN combat_reports.outlet IS 'The outlet of the article stating the report.';
COMMENT ON COLUMN prisoner_exchanges.outlet IS 'The outlet of the article stating the exchange.';
COMMENT ON COLUMN places.outlet IS 'The outlet of the article naming the place.';
ALTER TABLE loss_reports ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE strike_events ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE combat_reports ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE prisoner_exchanges ALTER COLUMN outlet DROP DEFAULT;
ALTER TABLE places ALTER COLUMN outlet DROP DEFAULT;
