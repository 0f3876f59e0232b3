-- Feature-set fingerprints: the SHA-256 (64 lower-case hex digits) of a feature set's definition
-- (its ordered features with kinds, inputs and parameters, its providers' definition versions and
-- its timeframes' bucketing rules; see FeatureRegistry.fingerprint).
--
-- feature_windows.fingerprint: the set's fingerprint when the build ran. A build or export of a
-- set whose latest completed build recorded another fingerprint is refused.
-- train_data_snapshots.fingerprint: the fingerprint the exported values were built with, as in
-- the file's metadata.
--
-- Rows written before this migration keep every value and have a NULL fingerprint; every row
-- written after it has one, except snapshots of values built before it.
ALTER TABLE feature_windows ADD COLUMN fingerprint TEXT;
ALTER TABLE train_data_snapshots ADD COLUMN fingerprint TEXT;
