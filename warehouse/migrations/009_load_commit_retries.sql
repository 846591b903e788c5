-- How many times a load's transaction ran again because another writer committed first (machines
-- sharing one catalog take turns this way); 0 for a load that never met another, and for loads
-- written before this migration.
ALTER TABLE load_runs ADD COLUMN commit_retries INTEGER DEFAULT 0;
UPDATE load_runs SET commit_retries = 0 WHERE commit_retries IS NULL;
COMMENT ON COLUMN load_runs.commit_retries IS 'Times the load''s transaction ran again because another writer committed first (0: at once).';
