-- Conversation history, one row per message and direction.
CREATE TABLE messages (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT    NOT NULL,
    peer      TEXT    NOT NULL,
    sender    TEXT    NOT NULL,
    outgoing  INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    ts        INTEGER NOT NULL,
    reply_to  TEXT,
    network   TEXT,
    status    TEXT,
    size      INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_identity ON messages (peer, outgoing, id);
CREATE INDEX messages_peer_seq ON messages (peer, seq);
CREATE INDEX messages_ts ON messages (ts);

-- Accepted, not yet acknowledged outgoing messages, in delivery order.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    peer       TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    reply_to   TEXT,
    network    TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);

-- Inbound ids already taken, kept longer than any sender retries, so redeliveries are dropped.
CREATE TABLE seen (
    peer TEXT    NOT NULL,
    id   TEXT    NOT NULL,
    ts   INTEGER NOT NULL,
    PRIMARY KEY (peer, id)
) WITHOUT ROWID;
CREATE INDEX seen_ts ON seen (ts);

-- The /events log, so its sequence keeps going up across restarts.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL,
    ts          INTEGER NOT NULL,
    channel     TEXT    NOT NULL,
    transport   TEXT,
    dir         TEXT,
    sender      TEXT,
    recipient   TEXT,
    group_id    TEXT,
    text        TEXT    NOT NULL,
    reply_to_id TEXT,
    len         INTEGER NOT NULL,
    status      TEXT
);
