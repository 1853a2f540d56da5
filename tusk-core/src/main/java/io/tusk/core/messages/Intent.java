package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;

/**
 * The intent that prefixes every signed protocol message: {@code type u8 | version u8 | app_id u8}. Walrus uses
 * version 0 and app ID 3 (its storage app); the type says which message follows, so a signature over one kind can
 * never be replayed as another.
 */
public record Intent(int type, int version, int appId) {
    public static final int STORAGE_CONFIRMATION = 1;
    public static final int INVALID_BLOB_ID = 2;
    public static final int SYNC_SHARD = 3;
    /** Tusk's own: a node's BLS key signs its account address and itself when it registers. */
    public static final int PROOF_OF_POSSESSION = 5;
    /** Tusk's own: a node tells the control plane it holds every shard it gained at an epoch change. */
    public static final int SHARDS_SYNCED = 6;
    public static final int VERSION = 0;
    public static final int APP_ID = 3;
    /** Bytes of an encoded intent. */
    public static final int LENGTH = 3;

    public Intent {
        checkU8(type, "type");
        checkU8(version, "version");
        checkU8(appId, "app ID");
    }

    /** The Walrus intent of a message type: version 0, app 3. */
    public static Intent of(int type) {
        return new Intent(type, VERSION, APP_ID);
    }

    public void write(BcsWriter out) {
        out.u8(type).u8(version).u8(appId);
    }

    public static Intent read(BcsReader in) {
        return new Intent(in.u8(), in.u8(), in.u8());
    }

    /** Reads an intent and requires it to be exactly {@code Intent.of(type)}. */
    static void expect(BcsReader in, int type) {
        Intent intent = read(in);
        if (!intent.equals(of(type))) {
            throw new BcsException("expected intent (" + type + ", " + VERSION + ", " + APP_ID + "), got ("
                    + intent.type + ", " + intent.version + ", " + intent.appId + ")", 0);
        }
    }

    private static void checkU8(int value, String what) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("intent " + what + " must be a u8, got " + value);
        }
    }
}
