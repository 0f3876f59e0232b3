-- Training datasets: each split of a dataset is exported as its own snapshot file, and its audit
-- rows record what a training run needs to be reproduced exactly (see DatasetInfo):
--
-- split, split_from, split_to: the split's name and its half-open range of candle open times
--   (epoch ms UTC).
-- label_definition: the labels, one per line, e.g. "fwd_ret_12 = forward_return(h=12)".
-- normalization_id, normalization_sha256, normalization: the statistics fitted on the training
--   split (id, SHA-256 of their canonical bytes, and the statistics as JSON, loadable by id);
--   NULL for raw values.
-- dataset_fingerprint: the SHA-256 of the dataset's definition (feature set fingerprint,
--   timeframe, window, secids, labels with horizons, splits, purge, embargo, normalization).
--
-- Rows of feature snapshots, and every row written before this migration, have NULL in each.
ALTER TABLE train_data_snapshots ADD COLUMN split TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN split_from BIGINT;
ALTER TABLE train_data_snapshots ADD COLUMN split_to BIGINT;
ALTER TABLE train_data_snapshots ADD COLUMN label_definition TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN normalization_id TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN normalization_sha256 TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN normalization TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN dataset_fingerprint TEXT;
