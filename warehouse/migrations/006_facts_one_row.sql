-- One row per fact an article states, in every facts table alike. A fact stated in the headline
-- and again in the lead is one row: `fields` lists the fields stating it (['title', 'lead']),
-- `rule` and `sentence` are the first statement's (the headline's), `lead_sentence` the lead's.
-- Different figures are different rows: loss_reports' key now holds the date and the count, so a
-- lead stating another count or date than its headline is no longer dropped. A strike's place and
-- a combat report's direction are their gazetteer entries (name, geonameid, coordinates, as in
-- places), the raw phrase kept beside them. The facts tables are derived whole from the articles
-- by each `facts` run, so they are recreated empty here (with the facts' quarantine rows, which
-- have the old shape): the next `newsflow facts` fills them.
DELETE FROM quarantine
WHERE table_name IN ('loss_reports', 'strike_events', 'combat_reports', 'prisoner_exchanges', 'places');
DROP TABLE loss_reports;
DROP TABLE strike_events;
DROP TABLE combat_reports;
DROP TABLE prisoner_exchanges;
DROP TABLE places;

CREATE TABLE loss_reports (
    url            VARCHAR NOT NULL,
    stated_at      TIMESTAMPTZ NOT NULL,
    report_date    DATE NOT NULL,
    category       VARCHAR NOT NULL,
    count          BIGINT NOT NULL,
    basis          VARCHAR NOT NULL,
    official       BIGINT,
    fields         VARCHAR[] NOT NULL,
    rule           VARCHAR NOT NULL,
    sentence       VARCHAR NOT NULL,
    lead_sentence  VARCHAR,
    PRIMARY KEY (url, stated_at, report_date, category, basis, count)
);
COMMENT ON TABLE loss_reports IS 'General Staff loss figures as an article states them: one row per category, daily or cumulative, date and figure; fields names the headline and/or lead stating it; official is the matching official figure when known.';

CREATE TABLE strike_events (
    url            VARCHAR NOT NULL,
    stated_at      TIMESTAMPTZ NOT NULL,
    seq            INTEGER NOT NULL,
    place          VARCHAR NOT NULL,
    geonameid      BIGINT,
    latitude       DOUBLE,
    longitude      DOUBLE,
    place_text     VARCHAR NOT NULL,
    weapon         VARCHAR,
    killed         INTEGER,
    injured        INTEGER,
    event_date     DATE NOT NULL,
    fields         VARCHAR[] NOT NULL,
    rule           VARCHAR NOT NULL,
    sentence       VARCHAR NOT NULL,
    lead_sentence  VARCHAR,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE strike_events IS 'Attacks with casualties as stated, one row per place, weapon, toll and date; place is the gazetteer name (geonameid NULL when the gazetteer has none: the phrase as written), place_text the phrase; an edited (Updated) article adds its numbers as another stated_at.';

CREATE TABLE combat_reports (
    url             VARCHAR NOT NULL,
    stated_at       TIMESTAMPTZ NOT NULL,
    seq             INTEGER NOT NULL,
    direction       VARCHAR,
    geonameid       BIGINT,
    latitude        DOUBLE,
    longitude       DOUBLE,
    direction_text  VARCHAR,
    counted         VARCHAR NOT NULL,
    count           INTEGER NOT NULL,
    event_date      DATE NOT NULL,
    fields          VARCHAR[] NOT NULL,
    rule            VARCHAR NOT NULL,
    sentence        VARCHAR NOT NULL,
    lead_sentence   VARCHAR,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE combat_reports IS 'Attacks repelled or combat engagements (counted) per direction (direction NULL: the whole front), for the day referred to; direction is the gazetteer name, direction_text the phrase.';

CREATE TABLE prisoner_exchanges (
    url            VARCHAR NOT NULL,
    stated_at      TIMESTAMPTZ NOT NULL,
    seq            INTEGER NOT NULL,
    kind           VARCHAR NOT NULL,
    count          INTEGER NOT NULL,
    side           VARCHAR NOT NULL,
    event_date     DATE NOT NULL,
    fields         VARCHAR[] NOT NULL,
    rule           VARCHAR NOT NULL,
    sentence       VARCHAR NOT NULL,
    lead_sentence  VARCHAR,
    PRIMARY KEY (url, stated_at, seq)
);
COMMENT ON TABLE prisoner_exchanges IS 'Prisoner exchanges (people returned, per side) and surrenders, as stated: one row per kind, side, count and date.';

CREATE TABLE places (
    url          VARCHAR NOT NULL,
    fields       VARCHAR[] NOT NULL,
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
    PRIMARY KEY (url, kind, geonameid)
);
COMMENT ON TABLE places IS 'Settlements, oblasts and front directions an article''s headline or lead (its current version) names, one row per place and kind, matched in the GeoNames gazetteer, with coordinates; name, start and rule are of its first mention.';
