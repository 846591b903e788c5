CREATE VIEW v_quarantine AS
SELECT
    quarantined_at,
    run_id,
    table_name,
    record ->> 'url' AS url,
    array_to_string(reasons, ', ') AS reasons,
    record
FROM quarantine;
COMMENT ON VIEW v_quarantine IS 'One row per quarantined record: when, which run, which table, its URL and the checks it broke.';
