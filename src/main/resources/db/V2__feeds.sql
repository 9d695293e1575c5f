-- The newest full Root of every feed this node publishes or follows (publishers keep only their last Root).
CREATE TABLE feed_roots (
    feed     TEXT    PRIMARY KEY,
    nonce    INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    sig      BLOB    NOT NULL,
    saved_at INTEGER NOT NULL
);

-- The objects that Root reaches, per feed, so a restart resumes the tree without asking anyone.
CREATE TABLE feed_objects (
    feed  TEXT NOT NULL,
    key   BLOB NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (feed, key)
) WITHOUT ROWID;
