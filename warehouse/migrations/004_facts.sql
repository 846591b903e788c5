-- Facts drawn from the news (rule-based, each row names its rule and sentence), and the General
-- Staff's own series to check them against. The facts tables are rebuilt whole by the `facts` flow.
CREATE TABLE official_losses (
    day          DATE NOT NULL,
    category     VARCHAR NOT NULL,
    cumulative   BIGINT NOT NULL,
    daily        BIGINT,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (day, category)
);
COMMENT ON TABLE official_losses IS 'Russian losses as the General Staff of Ukraine reports them: cumulative since 2022-02-24 per day and category, and the day-over-day difference (NULL on the first day of a category).';

CREATE TABLE loss_reports (
    url          VARCHAR NOT NULL,
    stated_at    TIMESTAMPTZ NOT NULL,
    report_date  DATE NOT NULL,
    category     VARCHAR NOT NULL,
    count        BIGINT NOT NULL,
    basis        VARCHAR NOT NULL,
    official     BIGINT,
    rule         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL,
    PRIMARY KEY (url, stated_at, category, basis)
);
COMMENT ON TABLE loss_reports IS 'General Staff loss figures as an article states them: one row per category, daily or cumulative; official is the matching official figure when known.';

CREATE TABLE strike_events (
    url          VARCHAR NOT NULL,
    stated_at    TIMESTAMPTZ NOT NULL,
    seq          INTEGER NOT NULL,
    place        VARCHAR NOT NULL,
    weapon       VARCHAR,
    killed       INTEGER,
    injured      INTEGER,
    event_date   DATE NOT NULL,
    rule         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE strike_events IS 'Attacks with casualties as stated; an edited (Updated) article adds its numbers as another stated_at.';

CREATE TABLE combat_reports (
    url          VARCHAR NOT NULL,
    stated_at    TIMESTAMPTZ NOT NULL,
    seq          INTEGER NOT NULL,
    direction    VARCHAR,
    count        INTEGER NOT NULL,
    event_date   DATE NOT NULL,
    rule         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE combat_reports IS 'Attacks repelled or combat engagements per direction (direction NULL: the whole front), for the day referred to.';

CREATE TABLE prisoner_exchanges (
    url          VARCHAR NOT NULL,
    stated_at    TIMESTAMPTZ NOT NULL,
    seq          INTEGER NOT NULL,
    kind         VARCHAR NOT NULL,
    count        INTEGER NOT NULL,
    side         VARCHAR NOT NULL,
    event_date   DATE NOT NULL,
    rule         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    sentence     VARCHAR NOT NULL,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE prisoner_exchanges IS 'Prisoner exchanges (people returned, per side) and surrenders, as stated.';

CREATE TABLE places (
    url          VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    start        INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    place        VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    country      VARCHAR NOT NULL,
    geonameid    BIGINT NOT NULL,
    latitude     DOUBLE NOT NULL,
    longitude    DOUBLE NOT NULL,
    precision    VARCHAR NOT NULL,
    rule         VARCHAR NOT NULL,
    PRIMARY KEY (url, source, start)
);
COMMENT ON TABLE places IS 'Settlements, oblasts and front directions named in an article''s headline or lead (its current version), matched in the GeoNames gazetteer, with coordinates.';
