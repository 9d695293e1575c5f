-- One row per peer this node has paired with or been asked to: the consent state survives restarts, and a
-- removed pair stays as 'revoked' so its feed is never served to that peer again.
CREATE TABLE pairs (
    peer            TEXT    PRIMARY KEY,
    status          TEXT    NOT NULL,  -- pending-out | pending-in | active | declined | revoked
    created_at      INTEGER NOT NULL,  -- unix ms
    updated_at      INTEGER NOT NULL,
    invited_at      INTEGER,           -- when an invite from the peer arrived (pending-in)
    established_at  INTEGER,
    last_message_at INTEGER,
    invite_attempts INTEGER NOT NULL DEFAULT 0,
    ratchet         TEXT               -- JSON: own ratchet keys, the peer's announcement, the epoch ring
);

-- Pair messages both ways, keyed as the feeds name them (<ts unixnano>-<seq>), so a leaf seen again after a
-- reconnect or a restart is recorded once.
CREATE TABLE pair_messages (
    peer     TEXT    NOT NULL,
    msg_id   TEXT    NOT NULL,
    outgoing INTEGER NOT NULL,
    text     TEXT    NOT NULL,
    ts       INTEGER NOT NULL,  -- the sender's time, unix ns
    rowid_at INTEGER NOT NULL,  -- unix ms when recorded here
    deleted  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (peer, msg_id, outgoing)
);
CREATE INDEX pair_messages_ts ON pair_messages (outgoing, ts);
