package io.tusk.spaces.manifest;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.tree.Location;
import io.tusk.spaces.tree.PackResolver;
import io.tusk.spaces.tree.ValueCodec;

import java.util.Map;
import java.util.TreeMap;

/** Leaf values of a space's entry tree: {@link EntryRecord}s. */
public final class EntryCodec implements ValueCodec {
    public static final EntryCodec INSTANCE = new EntryCodec();

    private EntryCodec() {
    }

    @Override
    public void write(BcsWriter out, Object value, PackResolver resolver) {
        EntryRecord e = (EntryRecord) value;
        out.u64(e.size()).string(e.contentType()).uleb128(e.metadata().size());
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            out.string(m.getKey()).string(m.getValue());
        }
        out.fixedBytes(e.etag()).u64(e.version()).u64(e.modifiedMillis());
        switch (e.data()) {
            case DataRef.Empty empty -> out.uleb128(0);
            case DataRef.Packed packed -> {
                out.uleb128(1);
                packed.location().write(out);
            }
            case DataRef.Pending pending -> {
                out.uleb128(1);
                resolver.location(pending).write(out);
            }
            case DataRef.Blob blob -> out.uleb128(2).fixedBytes(blob.blobId().bytes()).u64(blob.storedLength());
        }
        if (e.key() == null) {
            out.u8(0);
        } else {
            out.u8(1).u64(e.key().commitVersion()).u32(e.key().index());
        }
    }

    @Override
    public Object read(BcsReader in, BlobId contextPack) {
        long size = in.u64();
        String contentType = in.string(EntryRecord.MAX_CONTENT_TYPE_BYTES);
        int count = in.length(EntryRecord.MAX_METADATA_ENTRIES, "metadata");
        Map<String, String> metadata = new TreeMap<>(io.tusk.spaces.tree.Keys::compare);
        String previous = null;
        for (int i = 0; i < count; i++) {
            String name = in.string(EntryRecord.MAX_METADATA_BYTES);
            String value = in.string(EntryRecord.MAX_METADATA_BYTES);
            if (previous != null && io.tusk.spaces.tree.Keys.compare(previous, name) >= 0) {
                throw new IllegalArgumentException("entry metadata names are not sorted and distinct");
            }
            metadata.put(name, value);
            previous = name;
        }
        byte[] etag = in.fixedBytes(Blake2b256.DIGEST_LENGTH);
        long version = in.u64();
        long modified = in.u64();
        DataRef data = switch (in.enumTag(3, "DataRef")) {
            case 0 -> new DataRef.Empty();
            case 1 -> new DataRef.Packed(Location.read(in, contextPack));
            default -> new DataRef.Blob(BlobId.of(in.fixedBytes(BlobId.LENGTH)), in.u64());
        };
        KeyRef key = in.bool() ? new KeyRef(in.u64(), (int) Math.min(in.u32(), Integer.MAX_VALUE)) : null;
        EntryRecord.checkLimits(contentType, metadata);
        return new EntryRecord(size, contentType, metadata, etag, version, modified, data, key);
    }
}
