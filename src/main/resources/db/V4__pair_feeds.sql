-- Feed roots and objects of the per-pair feed nodes: each pair's node keeps its own two feeds (ours and the
-- peer's, both named by identity keys), so the same feed key appears once per pair, apart from the node-wide
-- feed_roots/feed_objects.
CREATE TABLE pair_feed_roots (
    pair     TEXT    NOT NULL,  -- the peer's key: the pair this node belongs to
    feed     TEXT    NOT NULL,
    nonce    INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    sig      BLOB    NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (pair, feed)
);

CREATE TABLE pair_feed_objects (
    pair  TEXT NOT NULL,
    feed  TEXT NOT NULL,
    key   BLOB NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (pair, feed, key)
) WITHOUT ROWID;
