-- 0003: sync between the PCs of an office through a shared folder (issue 5).
-- Nothing here is personal: ids, clocks, device ids and sealed bodies.

-- The causal history of each version (store/vv.go): for every device, the
-- clock ranges of its versions of the record this version has seen. Two
-- versions conflict when neither has seen the other. NULL: only itself.
ALTER TABLE records ADD COLUMN history BLOB;

-- Versions that lost a merge against a concurrent one: kept for review,
-- never dropped, until a later version that has seen them replaces both.
CREATE TABLE conflicts (
    id       BLOB NOT NULL,
    hlc      INTEGER NOT NULL,
    device   BLOB NOT NULL,
    kind     TEXT NOT NULL,
    parent   BLOB,
    deleted  INTEGER NOT NULL,
    schema_v INTEGER NOT NULL,
    history  BLOB,
    body     BLOB NOT NULL,
    found    INTEGER NOT NULL,          -- local clock when the conflict was found
    export   INTEGER NOT NULL DEFAULT 0, -- a version made here that lost before being sent
    PRIMARY KEY (id, hlc, device)
) WITHOUT ROWID;

-- Change files of every device already applied here (including this PC's
-- own, once written).
CREATE TABLE sync_applied (
    device BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;

-- Wrapped keys travel too (a new operator or a new password made on one PC
-- works on the other). Triggers note every local change of the keyring; a
-- sync stamps it with the clock and sends it; the later stamp wins. (No
-- OR IGNORE in the triggers: the upsert that fires them would override it.)
CREATE TABLE keyring_sync (
    login  BLOB PRIMARY KEY,
    hlc    INTEGER NOT NULL DEFAULT 0,
    device BLOB,
    state  INTEGER NOT NULL DEFAULT 1  -- 1 changed here, 2 stamped and to send, 0 in step
) WITHOUT ROWID;
INSERT INTO keyring_sync(login) SELECT login FROM keyring;
CREATE TRIGGER keyring_sync_insert AFTER INSERT ON keyring BEGIN
    INSERT INTO keyring_sync(login) SELECT NEW.login
        WHERE NOT EXISTS (SELECT 1 FROM keyring_sync WHERE login = NEW.login);
    UPDATE keyring_sync SET state = 1 WHERE login = NEW.login;
END;
CREATE TRIGGER keyring_sync_update AFTER UPDATE ON keyring BEGIN
    INSERT INTO keyring_sync(login) SELECT NEW.login
        WHERE NOT EXISTS (SELECT 1 FROM keyring_sync WHERE login = NEW.login);
    UPDATE keyring_sync SET state = 1 WHERE login = NEW.login;
END;
CREATE TRIGGER keyring_sync_delete AFTER DELETE ON keyring BEGIN
    INSERT INTO keyring_sync(login) SELECT OLD.login
        WHERE NOT EXISTS (SELECT 1 FROM keyring_sync WHERE login = OLD.login);
    UPDATE keyring_sync SET state = 1 WHERE login = OLD.login;
END;
