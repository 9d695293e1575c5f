-- One row per group this node founded, joined or asked to join. Governance (roles, roster, bans, the replay
-- guard) and the key ring are JSON documents the group runtime owns; a group that ended stays (left, revoked,
-- removed, denied) so its feed is never served again and its history remains readable.
CREATE TABLE groups (
    id              TEXT    PRIMARY KEY,  -- UUID
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,     -- public | private | channel
    owner           TEXT    NOT NULL,     -- the founder key
    port            INTEGER NOT NULL,     -- the group feed port, admission on port + 1
    pow_bits        INTEGER NOT NULL,
    status          TEXT    NOT NULL,     -- active | pending | awaiting_approval | left | revoked | removed | denied | banned
    admission       TEXT    NOT NULL,     -- JSON array: keys a join is sent to (the founder, then the admins the invite lists)
    governance      TEXT    NOT NULL,     -- JSON: founder, admins, members, banned, replay guard
    key_ring        TEXT,                 -- JSON: the group keys by epoch (private groups)
    created_at      INTEGER NOT NULL,     -- unix ms
    joined_at       INTEGER,
    last_message_at INTEGER
);

-- Group messages both ways, keyed by the leaf that carried them (<sender>-<ts unixnano>-<seq>), so a leaf seen
-- again (from another member's feed, after a reconnect or a restart) is recorded once.
CREATE TABLE group_messages (
    group_id    TEXT    NOT NULL,
    msg_id      TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    outgoing    INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    ts          INTEGER NOT NULL,  -- when the author wrote it, unix ns
    recorded_at INTEGER NOT NULL,  -- unix ms
    PRIMARY KEY (group_id, msg_id)
);
CREATE INDEX group_messages_ts ON group_messages (group_id, ts);

-- Join requests waiting for an admin's decision (private groups), at most a few dozen per group.
CREATE TABLE group_join_requests (
    group_id    TEXT    NOT NULL,
    peer        TEXT    NOT NULL,
    note        TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, peer)
);

-- Feed roots and objects of the per-group feed nodes: every group's node keeps the feeds of its members, named
-- by their identity keys, so the same feed key appears once per group.
CREATE TABLE group_feed_roots (
    grp      TEXT    NOT NULL,
    feed     TEXT    NOT NULL,
    nonce    INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    sig      BLOB    NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (grp, feed)
);

CREATE TABLE group_feed_objects (
    grp   TEXT NOT NULL,
    feed  TEXT NOT NULL,
    key   BLOB NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (grp, feed, key)
) WITHOUT ROWID;
