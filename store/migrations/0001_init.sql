-- 0001: the sealed record store, its blind indexes, the sync outbox, the audit chain
-- and the per-operator wrapped office keys. Everything personal lives inside
-- records.body, sealed; the columns in clear are ids, kinds, links and clocks.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE keyring (
    login       BLOB PRIMARY KEY,  -- keyed hash of the login name, or 'recovery'
    operator_id BLOB NOT NULL,
    wrapped     BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE records (
    id       BLOB PRIMARY KEY,     -- 16 random bytes
    kind     TEXT NOT NULL,
    parent   BLOB,
    hlc      INTEGER NOT NULL,     -- hybrid logical clock of the last change
    device   BLOB NOT NULL,        -- device that made the last change
    deleted  INTEGER NOT NULL DEFAULT 0,
    schema_v INTEGER NOT NULL,
    body     BLOB NOT NULL         -- nonce || XChaCha20-Poly1305(body), AD binds id, kind, schema_v
) WITHOUT ROWID;
CREATE INDEX records_kind ON records(kind, deleted);
CREATE INDEX records_parent ON records(parent) WHERE parent IS NOT NULL;

CREATE TABLE lookup (
    label TEXT NOT NULL,           -- what is indexed, e.g. 'cf'
    value BLOB NOT NULL,           -- HMAC of the normalised value
    id    BLOB NOT NULL,
    PRIMARY KEY (label, value, id)
) WITHOUT ROWID;
CREATE INDEX lookup_id ON lookup(id);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,       -- no AUTOINCREMENT: saves a page write per save
    id  BLOB NOT NULL,
    hlc INTEGER NOT NULL
);

CREATE TABLE audit (
    device BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    hlc    INTEGER NOT NULL,
    body   BLOB NOT NULL,          -- sealed entry
    chain  BLOB NOT NULL,          -- MAC(prev chain, device, seq, hlc, body)
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;
