package io.tusk.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.memory.embedding.EmbeddingSpec;
import io.tusk.memory.index.MemoryIndex;
import io.tusk.memory.space.MemorySpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * The recall index's segments stored in the space itself, so a fresh machine cold-starts recall by downloading them
 * instead of re-embedding every memory. Lucene segment files are written once and never changed, which is what blobs
 * are: each file is the entry {@code _index/files/<name>} (small ones packed into the commit's quilt by the spaces
 * SDK, large ones chunked), uploaded once, and {@code _index/manifest} lists the files of the last snapshot with the
 * commit sequence it includes. The index stays derived state: without a snapshot, or with a stale one, the store
 * replays the space's commits after the snapshot's sequence.
 *
 * <p>Forgotten memories: before a snapshot, segments holding deleted documents are rewritten, and files no snapshot
 * needs any more are forgotten from the space (their data keys destroyed in an encrypted space), so a forgotten text
 * does not live on inside an index segment.
 */
public final class IndexSnapshots {

    static final String MANIFEST_KEY = "_index/manifest";
    static final String FILE_PREFIX = "_index/files/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IndexSnapshots() {
    }

    /** What a snapshot wrote. */
    public record Published(long sequence, long commitVersion, int files, int uploaded, long bytes, long uploadedBytes) {
    }

    /**
     * Stores the store's index in its space: new segment files and a manifest in one commit, then forgets files the
     * new manifest no longer names.
     */
    public static Published publish(MemoryStore store) {
        MemorySpace space = store.space();
        MemoryIndex index = store.index();
        try {
            index.forceMergeDeletes();
            Set<String> stored = new HashSet<>();
            for (String key : space.keys(FILE_PREFIX)) {
                stored.add(key.substring(FILE_PREFIX.length()));
            }
            try (MemoryIndex.Snapshot snapshot = index.snapshot()) {
                Directory directory = snapshot.directory();
                List<MemorySpace.Change> changes = new ArrayList<>();
                Map<String, Long> files = new LinkedHashMap<>();
                long bytes = 0;
                long uploadedBytes = 0;
                int uploaded = 0;
                for (String file : snapshot.files()) {
                    long length = directory.fileLength(file);
                    files.put(file, length);
                    bytes += length;
                    if (!stored.contains(file)) {
                        changes.add(new MemorySpace.Put(FILE_PREFIX + file, readFile(directory, file, length)));
                        uploaded++;
                        uploadedBytes += length;
                    }
                }
                changes.add(new MemorySpace.Put(MANIFEST_KEY, manifest(snapshot.sequence(), store.spec(), files)));
                MemorySpace.Committed committed = space.commit(changes);
                List<String> stale = new ArrayList<>();
                for (String file : stored) {
                    if (!files.containsKey(file)) {
                        stale.add(FILE_PREFIX + file);
                    }
                }
                if (!stale.isEmpty()) {
                    space.forget(stale);
                }
                store.refresh();
                return new Published(snapshot.sequence(), committed.version(), files.size(), uploaded, bytes,
                        uploadedBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publishing the index of " + space.name() + " failed", e);
        }
    }

    /**
     * Copies the last published snapshot into {@code target} (an empty directory).
     *
     * @return the sequence it includes, or empty if none was published (or it was made for another model)
     */
    public static Optional<Long> restore(MemorySpace space, EmbeddingSpec spec, Directory target) {
        Optional<byte[]> manifest = space.read(MANIFEST_KEY);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(manifest.get());
            EmbeddingSpec built = new EmbeddingSpec(node.get("model").asText(), node.get("dimension").asInt());
            if (!built.equals(spec)) {
                return Optional.empty();
            }
            for (JsonNode file : node.get("files")) {
                String name = file.get("name").asText();
                byte[] bytes = space.read(FILE_PREFIX + name).orElseThrow(() -> new IllegalStateException(
                        "index snapshot of " + space.name() + " names " + name + ", which the space lacks"));
                if (bytes.length != file.get("size").asLong()) {
                    throw new IllegalStateException("index file " + name + " of " + space.name() + " has "
                            + bytes.length + " bytes, its manifest says " + file.get("size").asLong());
                }
                try (IndexOutput out = target.createOutput(name, IOContext.DEFAULT)) {
                    out.writeBytes(bytes, bytes.length);
                }
            }
            target.sync(target.listAll().length == 0 ? List.of() : List.of(target.listAll()));
            return Optional.of(node.get("sequence").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("restoring the index of " + space.name() + " failed", e);
        }
    }

    private static byte[] manifest(long sequence, EmbeddingSpec spec, Map<String, Long> files) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("format", 1)
                .put("sequence", sequence)
                .put("model", spec.model())
                .put("dimension", spec.dimension());
        ArrayNode list = node.putArray("files");
        files.forEach((name, size) -> list.addObject().put("name", name).put("size", size));
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readFile(Directory directory, String file, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("index file " + file + " has " + length + " bytes: too large for one entry");
        }
        byte[] bytes = new byte[(int) length];
        try (IndexInput in = directory.openInput(file, IOContext.READONCE)) {
            in.readBytes(bytes, 0, bytes.length);
        }
        return bytes;
    }
}
