-- Build ranges are half-open, from_ts <= ts < to_ts, like every range of the library. Rows written
-- before recorded the last built open time inclusively; [from, to] and [from, to + 1) name the
-- same open times (epoch milliseconds), so each keeps its meaning exactly.
UPDATE feature_windows SET to_ts = to_ts + 1;
