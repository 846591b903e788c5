-- The kind of every load, recorded by the code that writes it (warehouse/runs.py `RunKind`), so
-- the integrity rules read data instead of run-id patterns. Loads written before this migration
-- are told apart the only way there was: by their run ids (`legacy_run_kind`, kept for a rebuild
-- that carries over rows from a warehouse still at migration 6).
CREATE MACRO legacy_run_kind(run_id, made_requests) AS CASE
    WHEN run_id LIKE 'facts-%' THEN 'facts'
    WHEN run_id LIKE 'official-%' THEN 'official'
    WHEN run_id LIKE 'bench%' AND NOT made_requests THEN 'synthetic'
    ELSE 'crawl'
END;

ALTER TABLE load_runs ADD COLUMN kind VARCHAR;
UPDATE load_runs SET kind = legacy_run_kind(run_id, run_id IN (SELECT run_id FROM fetch_log));
COMMENT ON COLUMN load_runs.kind IS 'What the load wrote: crawl (parsed from the site''s answers, requests in fetch_log), official, facts or synthetic (a benchmark''s).';
