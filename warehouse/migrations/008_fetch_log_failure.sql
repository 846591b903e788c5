-- Each request's failure kind, recorded by the code that met it (`sources.errors.FailureKind`,
-- named as the run summary counts it), so `v_failures` reads data instead of error texts. Rows
-- written before this migration get the kind their text gives, read once, here, the way
-- `sources.errors.stored_failure` reads it.
ALTER TABLE fetch_log ADD COLUMN failure VARCHAR;
UPDATE fetch_log SET failure = CASE
    WHEN regexp_matches(error, '^HTTP \d+') THEN regexp_extract(error, '^HTTP \d+')
    WHEN starts_with(error, 'timeout') THEN 'timeout'
    WHEN starts_with(error, 'refused') OR starts_with(error, 'disallowed') THEN 'refused'
    WHEN starts_with(error, 'body larger') THEN 'too large'
    WHEN starts_with(error, 'blocked') THEN 'blocked'
    WHEN starts_with(error, 'bad header') THEN 'bad header'
    WHEN starts_with(error, 'capped') THEN 'capped'
    WHEN status IS NULL THEN 'connection'
    WHEN status = 200 AND NOT starts_with(error, 'empty body') THEN 'parse problem'
    ELSE 'other'
END
WHERE error IS NOT NULL;
COMMENT ON COLUMN fetch_log.failure IS 'The kind of the request''s failure as the run summary counts it (timeout, HTTP <status>, refused, too large, blocked, bad header, capped, connection, parse problem, other); NULL when it had none.';
