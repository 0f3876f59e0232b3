-- The fact layer, one history for SQLite and PostgreSQL.
--
-- Portable types only: BIGINT (epoch milliseconds UTC, counts), DOUBLE PRECISION, TEXT. The two
-- differences between the databases are Flyway placeholders set by the library for each vendor:
--   ${blob}           BLOB on SQLite, BYTEA on PostgreSQL
--   ${without_rowid}  WITHOUT ROWID on SQLite (the primary key is the table), empty on PostgreSQL
-- Every time is epoch milliseconds UTC. A candle's ts is its open time; its features are
-- available at ts + timeframe (available_at).

-- Candles at their own timeframe (e.g. 1m); coarser timeframes are resampled from them.
CREATE TABLE candles (
    secid     TEXT             NOT NULL,
    timeframe TEXT             NOT NULL,
    ts        BIGINT           NOT NULL,
    open      DOUBLE PRECISION NOT NULL,
    high      DOUBLE PRECISION NOT NULL,
    low       DOUBLE PRECISION NOT NULL,
    close     DOUBLE PRECISION NOT NULL,
    volume    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (secid, timeframe, ts)
)${without_rowid};

-- The feature list of each feature set, recorded once, so that the value blobs describe
-- themselves: position is the column's place in the set; kind is 'numeric' or 'categorical';
-- slot is its place within the blob of its kind (numeric values in feature_numeric.vals,
-- categories in feature_categorical.vals).
CREATE TABLE feature_set_columns (
    feature_set TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    feature     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    slot        INTEGER NOT NULL,
    PRIMARY KEY (feature_set, position),
    UNIQUE (feature_set, feature),
    CHECK (kind IN ('numeric', 'categorical'))
);

-- One row per build of (feature_set, timeframe, secid): the candle range built (inclusive),
-- where the stored history started, rows written, window size, when, and how it ended.
CREATE TABLE feature_windows (
    build_id         TEXT    NOT NULL PRIMARY KEY,
    feature_set      TEXT    NOT NULL,
    timeframe        TEXT    NOT NULL,
    secid            TEXT    NOT NULL,
    from_ts          BIGINT  NOT NULL,
    to_ts            BIGINT  NOT NULL,
    history_start_ts BIGINT  NOT NULL,
    rows_count       BIGINT  NOT NULL,
    window_size      INTEGER NOT NULL,
    started_at       BIGINT  NOT NULL,
    finished_at      BIGINT,
    status           TEXT    NOT NULL,
    CHECK (status IN ('COMPLETED', 'FAILED'))
);
CREATE INDEX feature_windows_by_series ON feature_windows (feature_set, timeframe, secid, started_at);

-- Numeric feature values, one wide row per candle: vals holds the numeric features of the set
-- as little-endian IEEE doubles (8 bytes each) in the order of their slots in
-- feature_set_columns. The primary key serves the as-of window read
-- (ts <= asOf - timeframe ORDER BY ts DESC LIMIT W); available_at = ts + timeframe.
CREATE TABLE feature_numeric (
    feature_set  TEXT    NOT NULL,
    timeframe    TEXT    NOT NULL,
    secid        TEXT    NOT NULL,
    ts           BIGINT  NOT NULL,
    available_at BIGINT  NOT NULL,
    vals         ${blob} NOT NULL,
    PRIMARY KEY (feature_set, timeframe, secid, ts)
)${without_rowid};

-- Categorical feature values, one wide row per candle (only for sets with categorical
-- features): vals holds the categories as little-endian 16-bit integers in slot order.
CREATE TABLE feature_categorical (
    feature_set  TEXT    NOT NULL,
    timeframe    TEXT    NOT NULL,
    secid        TEXT    NOT NULL,
    ts           BIGINT  NOT NULL,
    available_at BIGINT  NOT NULL,
    vals         ${blob} NOT NULL,
    PRIMARY KEY (feature_set, timeframe, secid, ts)
)${without_rowid};

-- The audit log of exported training snapshots: from a model's training run one finds the exact
-- file (path, format, content hash) and what it holds. A snapshot is immutable once registered.
CREATE TABLE train_data_snapshots (
    snapshot_id      TEXT    NOT NULL PRIMARY KEY,
    secid            TEXT    NOT NULL,
    timeframe        TEXT    NOT NULL,
    feature_set      TEXT    NOT NULL,
    rows_count       BIGINT  NOT NULL,
    path             TEXT    NOT NULL,
    format           TEXT    NOT NULL,
    sha256           TEXT    NOT NULL,
    min_ts           BIGINT,
    max_ts           BIGINT,
    history_start    BIGINT,
    created_at       BIGINT  NOT NULL,
    library_version  TEXT    NOT NULL
);
CREATE INDEX train_data_snapshots_by_series ON train_data_snapshots (feature_set, timeframe, secid, created_at);
