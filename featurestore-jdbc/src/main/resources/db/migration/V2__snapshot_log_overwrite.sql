-- The snapshot audit log records deliberate replacements and is looked up by file hash.
--
-- replaced_sha256: when an export replaced, on request (overwrite), a snapshot file of different
-- content at the same path, the SHA-256 of the file it replaced; NULL for an ordinary export.
-- Rows are never updated: the rows of the replaced file stay, and no longer match the file.
ALTER TABLE train_data_snapshots ADD COLUMN replaced_sha256 TEXT;

-- Finding the records of a file by its hash (store.snapshots().bySha256(...)), and the newest
-- export at a path (an identical export returns the rows recorded then).
CREATE INDEX train_data_snapshots_by_sha256 ON train_data_snapshots (sha256);
CREATE INDEX train_data_snapshots_by_path ON train_data_snapshots (path, created_at);
