CREATE TABLE headline_sources (
    url         VARCHAR PRIMARY KEY,
    source      VARCHAR NOT NULL,
    source_kind VARCHAR,
    claim       VARCHAR NOT NULL
);
COMMENT ON TABLE headline_sources IS 'One row per article or feed item whose headline names who said it: the source as written, its kind (person, role, organisation, or NULL) and the claim without the attribution.';
