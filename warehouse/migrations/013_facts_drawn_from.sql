-- A facts load says which lake snapshot its articles were read at, so the next run draws again
-- only the facts of articles changed after it (not those changed while it drew). Loads before
-- this, and loads of other kinds, have none (for those, the load's own snapshot stands in).
ALTER TABLE load_runs ADD COLUMN drawn_from BIGINT;
COMMENT ON COLUMN load_runs.drawn_from IS 'For a facts load: the lake snapshot its articles were read at (a later run draws again the facts of articles changed after it); NULL for other loads.';
