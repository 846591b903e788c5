-- A facts load says which rules drew it (a fingerprint of facts/ and transforms/facts.py), so a
-- run after an upgrade or an edited rule draws the facts again rather than calling them current.
-- Loads before this, and loads of other kinds, have none.
ALTER TABLE load_runs ADD COLUMN rules VARCHAR;
COMMENT ON COLUMN load_runs.rules IS 'For a facts load: the fingerprint of the rules that drew the facts (facts/, transforms/facts.py); NULL for other loads.';
