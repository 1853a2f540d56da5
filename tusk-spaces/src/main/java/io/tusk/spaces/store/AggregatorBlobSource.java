package io.tusk.spaces.store;

import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltReader;
import io.tusk.spaces.SpaceException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads through a Walrus aggregator's HTTP API ({@code GET /v1/blobs/{id}}), e.g. a Tusk gateway, trusting it for
 * nothing: it could serve any bytes. A quilt patch is cut locally from the whole quilt blob (so the bytes can be
 * checked against the quilt's blob ID), not taken from {@code /v1/blobs/by-quilt-patch-id}. Readers that care
 * ({@code verify}, proofs) re-derive blob IDs from what this returns. Thread-safe.
 */
public final class AggregatorBlobSource implements BlobSource {
    private static final int CACHED_QUILTS = 8;

    private final URI base;
    private final EncodingConfig encoding;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<BlobId, byte[]> quilts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<BlobId, byte[]> eldest) {
            return size() > CACHED_QUILTS;
        }
    };

    /** @param shardCount the network's shard count (from the control plane), which fixes the quilt layout */
    public AggregatorBlobSource(URI base, int shardCount) {
        this.base = base;
        this.encoding = new EncodingConfig(shardCount);
    }

    @Override
    public byte[] blob(BlobId blobId) {
        try (InputStream in = get(blobId, null)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SpaceException("aggregator " + base + " failed to serve blob " + blobId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] patch(QuiltPatchId patchId) {
        byte[] quilt;
        synchronized (quilts) {
            quilt = quilts.get(patchId.quiltId());
        }
        if (quilt == null) {
            quilt = blob(patchId.quiltId());
            synchronized (quilts) {
                quilts.put(patchId.quiltId(), quilt);
            }
        }
        return QuiltReader.readPatch(encoding, quilt, patchId.startIndex(), patchId.endIndex()).data();
    }

    @Override
    public void stream(BlobId blobId, OutputStream out) throws IOException {
        try (InputStream in = get(blobId, null)) {
            in.transferTo(out);
        }
    }

    @Override
    public void range(BlobId blobId, long start, long length, OutputStream out) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = get(blobId, "bytes=" + start + "-" + (start + length - 1))) {
            in.transferTo(out);
        }
    }

    @Override
    public boolean verifies() {
        return false;
    }

    private InputStream get(BlobId blobId, String range) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/blobs/" + blobId))
                .timeout(Duration.ofMinutes(5)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading blob " + blobId + " from " + base, e);
        }
        int status = response.statusCode();
        if (status != 200 && status != 206) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8);
            }
            throw new IOException("aggregator " + base + " answered " + status + " for blob " + blobId + ": " + body);
        }
        return response.body();
    }
}
