-- Stream checkpoints: the saved state of the feature stream of one (feature set, timeframe, secid),
-- saved with each build and with each row a stored stream writes (the last one replaces the one
-- before), so that a stream restarts from it plus the candles stored after it instead of
-- replaying the whole stored history. The state is core's versioned stream state format
-- (FeatureStream.state() inside a checked envelope); last_candle_ts is the open time of the last
-- source candle it has taken, fingerprint the feature set's when it was saved. A checkpoint that
-- does not match (fingerprint, format version, history start, the stored candle at last_candle_ts)
-- is not used: the stream then replays the stored history as before.
--
-- Independent of every other migration after V5: it only adds this table.
CREATE TABLE stream_states (
    feature_set    TEXT    NOT NULL,
    timeframe      TEXT    NOT NULL,
    secid          TEXT    NOT NULL,
    last_candle_ts BIGINT  NOT NULL,
    fingerprint    TEXT    NOT NULL,
    state          ${blob} NOT NULL,
    saved_at       BIGINT  NOT NULL,
    PRIMARY KEY (feature_set, timeframe, secid)
);
