package io.tusk.spaces;

import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.SpaceManifest;

import java.util.HexFormat;
import java.util.List;

/**
 * Content stored ahead of the commit that names it ({@link Space#upload}, {@link Space#concatenate}): its blobs are
 * certified, and {@link Transaction#put(String, StagedContent, PutOptions)} commits it by reference, however often the
 * commit is retried. For a server that streams a request body once and commits it with others (an S3 PUT); content
 * that is never committed should be handed to {@link Space#discard}. Immutable.
 */
public final class StagedContent {
    private final Space space;
    private final long length;
    private final byte[] etag;
    private final DataRef data;
    private final byte[] dataKey;
    private final List<SpaceManifest.Write> writes;

    StagedContent(Space space, long length, byte[] etag, DataRef data, byte[] dataKey, List<SpaceManifest.Write> writes) {
        this.space = space;
        this.length = length;
        this.etag = etag.clone();
        this.data = data;
        this.dataKey = dataKey;
        this.writes = List.copyOf(writes);
    }

    /** Bytes of content (before encryption). */
    public long length() {
        return length;
    }

    /** The entry etag it will have: hex Blake2b-256 of the stored bytes. */
    public String etag() {
        return HexFormat.of().formatHex(etag);
    }

    /** The blob IDs it stored (a blob, or a chunked file's manifest and chunks). */
    public List<String> blobIds() {
        return writes.stream().map(w -> w.blobId().toString()).toList();
    }

    Space space() {
        return space;
    }

    byte[] etagBytes() {
        return etag.clone();
    }

    DataRef data() {
        return data;
    }

    byte[] dataKey() {
        return dataKey;
    }

    List<SpaceManifest.Write> writes() {
        return writes;
    }

    @Override
    public String toString() {
        return "StagedContent[" + length + " bytes, " + data + "]";
    }
}
