package io.tusk.compat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Walrus's own encoder ({@code @mysten/walrus-wasm}, walrus-core compiled to WASM) running in a long-lived
 * Node process ({@code compat/oracle.mjs}), for byte-for-byte comparison with Tusk.
 *
 * <p>Wire format (both directions): u32 BE header length ‖ UTF-8 JSON header ‖ raw payloads whose byte lengths
 * are listed in the header's {@code lens} array. Bulk data never goes through JSON. See oracle.mjs for the ops.
 *
 * <p>Every call has a timeout (a base of {@code tusk.compat.timeoutSeconds}, default 60 s, plus 2 s per MiB
 * sent). A timeout, a broken pipe or a dead process closes the instance and throws {@link OracleException};
 * an error answered by the oracle (including a WASM trap, after which the oracle reloads the module) throws
 * {@link OracleException} with {@link OracleException#isErrorResponse()} true and leaves the instance usable.
 *
 * <p>Thread-safe: calls are serialized. Use {@link #shared()} for one instance per test JVM.
 */
public final class WalrusOracle implements AutoCloseable {
    /** System property: the compat module directory holding oracle.mjs and node_modules (set by Surefire). */
    public static final String COMPAT_DIR_PROPERTY = "tusk.compat.dir";
    /** System property: the node executable to use instead of {@code node} on PATH. */
    public static final String NODE_PROPERTY = "tusk.node";
    /** System property: base timeout of every call, in seconds. */
    public static final String TIMEOUT_PROPERTY = "tusk.compat.timeoutSeconds";
    /** The @mysten/walrus-wasm version the compat tests are written against (compat/package.json). */
    public static final String EXPECTED_WASM_VERSION = "0.3.0";

    private static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int STDERR_TAIL_CHARS = 16 * 1024;
    private static WalrusOracle shared;

    private final Process process;
    private final DataOutputStream toOracle;
    private final DataInputStream fromOracle;
    private final ExecutorService caller;
    private final StringBuilder stderrTail = new StringBuilder();
    private final Duration baseTimeout;
    private final String nodeVersion;
    private final String wasmVersion;
    private boolean closed;

    private WalrusOracle(Process process, Duration baseTimeout) {
        this.process = process;
        this.baseTimeout = baseTimeout;
        this.toOracle = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
        this.fromOracle = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.caller = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "walrus-oracle-io"));
        daemon(this::drainStderr, "walrus-oracle-stderr").start();
        Response pong = call("ping", Map.of(), List.of(), Duration.ofSeconds(30));
        this.nodeVersion = pong.string("node");
        this.wasmVersion = pong.string("walrusWasm");
    }

    /**
     * Starts a new oracle process.
     *
     * @throws IllegalStateException with instructions if node, the compat directory or node_modules is missing
     */
    public static WalrusOracle start() {
        Path compatDir = compatDir();
        if (!Files.isDirectory(compatDir.resolve("node_modules/@mysten/walrus-wasm"))) {
            throw new IllegalStateException("The Walrus oracle packages are not installed in " + compatDir
                    + "/node_modules: run `npm ci` in " + compatDir + " (needs Node.js >= 18 and the npm registry)");
        }
        Path node = findNode();
        ProcessBuilder builder = new ProcessBuilder(node.toString(), "oracle.mjs").directory(compatDir.toFile());
        long seconds = Long.getLong(TIMEOUT_PROPERTY, 60L);
        try {
            return new WalrusOracle(builder.start(), Duration.ofSeconds(seconds));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start `" + node + " oracle.mjs` in " + compatDir, e);
        }
    }

    /** One instance per JVM, started on first use (and restarted if a timeout killed it), closed at exit. */
    public static synchronized WalrusOracle shared() {
        if (shared == null || shared.isClosed()) {
            boolean first = shared == null;
            shared = start();
            if (first) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    synchronized (WalrusOracle.class) {
                        shared.close();
                    }
                }, "walrus-oracle-shutdown"));
            }
        }
        return shared;
    }

    public String nodeVersion() {
        return nodeVersion;
    }

    /** The version of @mysten/walrus-wasm the oracle loaded. */
    public String wasmVersion() {
        return wasmVersion;
    }

    /** {@code BlobEncoder(n).compute_metadata(blob)}: blob ID, root hash, length and encoding type (no hashes). */
    public OracleMetadata metadata(int shardCount, byte[] blob) {
        Response response = call("metadata", Map.of("n", shardCount), List.of(blob), timeoutFor(blob.length));
        return new OracleMetadata(response.payload(0), response.payload(1), response.number("unencodedLength"),
                response.string("encodingType"), List.of(), List.of(), Optional.empty());
    }

    /** {@code BlobEncoder(n).encode(blob, …)}: every SliverData buffer plus the full metadata. */
    public OracleEncoding encode(int shardCount, byte[] blob) {
        Response response = call("encode", Map.of("n", shardCount), List.of(blob), timeoutFor(blob.length * 5L));
        int n = shardCount;
        if (response.payloads.size() != 4 + 2 * n) {
            throw new IllegalStateException("encode returned " + response.payloads.size() + " payloads for n=" + n);
        }
        byte[] hashes = response.payload(2);
        List<byte[]> primaryHashes = new ArrayList<>(n);
        List<byte[]> secondaryHashes = new ArrayList<>(n);
        for (int q = 0; q < n; q++) {
            primaryHashes.add(Arrays.copyOfRange(hashes, q * 64, q * 64 + 32));
            secondaryHashes.add(Arrays.copyOfRange(hashes, q * 64 + 32, q * 64 + 64));
        }
        OracleMetadata metadata = new OracleMetadata(response.payload(0), response.payload(1),
                response.number("unencodedLength"), response.string("encodingType"), primaryHashes, secondaryHashes,
                Optional.of(response.payload(3)));
        return new OracleEncoding(metadata, n, (int) response.number("symbolSize"),
                (int) response.number("primarySourceSymbols"), (int) response.number("secondarySourceSymbols"),
                response.payloads.subList(4, 4 + n), response.payloads.subList(4 + n, 4 + 2 * n));
    }

    /**
     * {@code BlobEncoder(n).decode(blobId, size, primarySlivers, out)}. The oracle does not verify slivers against
     * the metadata: wrong slivers give wrong bytes, not an error.
     *
     * @param primarySliverData BCS SliverData of primary slivers (any order, at least p of them)
     * @throws OracleException with {@link OracleException#isErrorResponse()} if the oracle cannot decode
     */
    public byte[] decode(int shardCount, byte[] blobId, long size, List<byte[]> primarySliverData) {
        List<byte[]> payloads = new ArrayList<>(1 + primarySliverData.size());
        payloads.add(blobId);
        payloads.addAll(primarySliverData);
        long bytes = primarySliverData.stream().mapToLong(b -> b.length).sum() + size;
        return call("decode", Map.of("n", shardCount, "size", size), payloads, timeoutFor(bytes)).payload(0);
    }

    /** {@code bls12381_min_pk_verify(signature 96 B, publicKey 48 B, message)}. */
    public boolean blsVerify(byte[] signature, byte[] publicKey, byte[] message) {
        return call("blsVerify", Map.of(), List.of(signature, publicKey, message), baseTimeout).bool("result");
    }

    /** {@code bls12381_min_pk_aggregate(signatures)}: the 96-byte aggregate signature. */
    public byte[] blsAggregate(List<byte[]> signatures) {
        return call("blsAggregate", Map.of(), signatures, baseTimeout).payload(0);
    }

    /** {@code bls12381_min_pk_verify_aggregate(publicKeys, message, signature)}. */
    public boolean blsVerifyAggregate(List<byte[]> publicKeys, byte[] message, byte[] signature) {
        List<byte[]> payloads = new ArrayList<>(2 + publicKeys.size());
        payloads.add(message);
        payloads.add(signature);
        payloads.addAll(publicKeys);
        return call("blsVerifyAggregate", Map.of(), payloads, baseTimeout).bool("result");
    }

    /** Blake2b-256 computed by {@code @noble/hashes} in the oracle process (a cross-check for test helpers). */
    public byte[] blake2b256(byte[] data) {
        return call("blake2b256", Map.of(), List.of(data), timeoutFor(data.length)).payload(0);
    }

    /** The {@code @mysten/walrus} SDK's reading of a blob ID: text form, on-chain u256, shard rotation. */
    public SdkBlobId sdkBlobId(int shardCount, byte[] blobId) {
        Response response = call("sdkBlobId", Map.of("n", shardCount), List.of(blobId), baseTimeout);
        return new SdkBlobId(response.string("text"), new java.math.BigInteger(response.string("u256")),
                (int) response.number("shardOfPair0"), (int) response.number("pairOfShard0"));
    }

    /**
     * The SDK's view of a blob ID.
     *
     * @param text          URL-safe base64 without padding
     * @param u256          the ID as the Move u256 (bytes read little-endian)
     * @param shardOfPair0  {@code toShardIndex(0, id, n)}: the shard holding sliver pair 0 (= the rotation offset)
     * @param pairOfShard0  {@code toPairIndex(0, id, n)}: the pair held by shard 0
     */
    public record SdkBlobId(String text, java.math.BigInteger u256, int shardOfPair0, int pairOfShard0) {
    }

    /** Parses BCS BlobMetadataWithId with the SDK's BCS type and serializes it again (a check of the bytes' shape). */
    public byte[] sdkMetadataRoundTrip(byte[] metadataWithIdBcs) {
        return call("sdkMetadata", Map.of(), List.of(metadataWithIdBcs), timeoutFor(metadataWithIdBcs.length))
                .payload(0);
    }

    /** One patch given to {@link #encodeQuilt}. */
    public record QuiltBlob(String identifier, byte[] contents, Map<String, String> tags) {}

    /**
     * What {@code encodeQuilt} of {@code @mysten/walrus} gave, with the quilt ID the WASM encoder computes for it.
     * The lists are in quilt (sorted) order.
     */
    public record OracleQuilt(byte[] quilt, byte[] indexBcs, String quiltId, List<String> identifiers,
                              List<Integer> starts, List<Integer> ends, List<String> patchIds) {}

    /** {@code encodeQuilt({blobs, numShards})} of {@code @mysten/walrus}, then the quilt blob's ID. */
    public OracleQuilt encodeQuilt(int shardCount, List<QuiltBlob> blobs) {
        StringBuilder spec = new StringBuilder("[");
        List<byte[]> payloads = new ArrayList<>(blobs.size() + 1);
        payloads.add(null);
        long bytes = 0;
        for (int i = 0; i < blobs.size(); i++) {
            QuiltBlob blob = blobs.get(i);
            spec.append(i == 0 ? "" : ",").append("{\"identifier\":").append(Json.quote(blob.identifier()));
            if (blob.tags() != null) {
                spec.append(",\"tags\":{");
                int t = 0;
                for (Map.Entry<String, String> tag : blob.tags().entrySet()) {
                    spec.append(t++ == 0 ? "" : ",").append(Json.quote(tag.getKey())).append(':').append(Json.quote(tag.getValue()));
                }
                spec.append('}');
            }
            spec.append('}');
            payloads.add(blob.contents());
            bytes += blob.contents().length;
        }
        payloads.set(0, spec.append(']').toString().getBytes(StandardCharsets.UTF_8));
        Response response = call("encodeQuilt", Map.of("n", shardCount), payloads, timeoutFor(bytes * 4 + (1L << 20)));
        return new OracleQuilt(response.payload(0), response.payload(1), response.string("quiltId"),
                strings(response.fields().get("identifiers")), ints(response.fields().get("starts")),
                ints(response.fields().get("ends")), strings(response.fields().get("patchIds")));
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static List<Integer> ints(Object list) {
        return ((List<?>) list).stream().map(v -> ((Number) v).intValue()).toList();
    }

    /** Sends a raw request; for ops without a typed method. */
    Response call(String op, Map<String, ?> parameters, List<byte[]> payloads, Duration timeout) {
        synchronized (this) {
            if (closed) {
                throw new OracleException(op, "the oracle process is closed" + stderrNote(), false, false, null);
            }
            Future<Response> exchange = caller.submit(() -> exchange(op, parameters, payloads));
            try {
                Response response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!response.ok()) {
                    throw new OracleException(op, response.string("error"), true, response.bool("trap"), null);
                }
                return response;
            } catch (TimeoutException e) {
                process.destroyForcibly();
                close();
                throw new OracleException(op, "no answer within " + timeout + "; oracle process killed"
                        + stderrNote(), false, false, e);
            } catch (ExecutionException e) {
                close();
                throw new OracleException(op, "exchange failed (" + e.getCause() + "); process "
                        + (process.isAlive() ? "was alive" : "exited") + stderrNote(), false, false, e.getCause());
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new OracleException(op, "interrupted", false, false, e);
            }
        }
    }

    private Duration timeoutFor(long bytesInvolved) {
        return baseTimeout.plusSeconds(2 * (bytesInvolved >> 20));
    }

    private Response exchange(String op, Map<String, ?> parameters, List<byte[]> payloads) throws IOException {
        StringBuilder json = new StringBuilder("{\"op\":").append(Json.quote(op));
        for (Map.Entry<String, ?> parameter : new LinkedHashMap<>(parameters).entrySet()) {
            Object value = parameter.getValue();
            json.append(',').append(Json.quote(parameter.getKey())).append(':')
                    .append(value instanceof String s ? Json.quote(s) : String.valueOf(value));
        }
        json.append(",\"lens\":[");
        for (int i = 0; i < payloads.size(); i++) {
            json.append(i == 0 ? "" : ",").append(payloads.get(i).length);
        }
        byte[] header = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        toOracle.writeInt(header.length);
        toOracle.write(header);
        for (byte[] payload : payloads) {
            toOracle.write(payload);
        }
        toOracle.flush();

        int headerLength = fromOracle.readInt();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new IOException("implausible response header length " + headerLength + " (protocol out of sync)");
        }
        byte[] responseHeader = new byte[headerLength];
        fromOracle.readFully(responseHeader);
        Map<String, Object> fields = Json.parseObject(new String(responseHeader, StandardCharsets.UTF_8));
        List<byte[]> responsePayloads = new ArrayList<>();
        for (Object length : (List<?>) fields.getOrDefault("lens", List.of())) {
            byte[] payload = new byte[Math.toIntExact(((Number) length).longValue())];
            fromOracle.readFully(payload);
            responsePayloads.add(payload);
        }
        return new Response(fields, responsePayloads);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Ends the oracle process (closing its stdin lets it exit; it is killed if it does not within 5 s). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        caller.shutdownNow();
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The process is going away anyway; it is killed below if it does not exit.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path compatDir() {
        String configured = System.getProperty(COMPAT_DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here, here.resolve("compat"))) {
            if (Files.isRegularFile(candidate.resolve("oracle.mjs"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("system property " + COMPAT_DIR_PROPERTY
                + " is not set and neither " + here + " nor " + here.resolve("compat") + " holds oracle.mjs");
    }

    private static Path findNode() {
        String configured = System.getProperty(NODE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "node");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no `node` executable on PATH (" + path + "): install Node.js >= 18 "
                + "(e.g. apt-get install nodejs npm), run `npm ci` in compat/, or set -D" + NODE_PROPERTY);
    }

    private void drainStderr() {
        try (InputStream stderr = process.getErrorStream()) {
            byte[] buffer = new byte[4096];
            for (int read; (read = stderr.read(buffer)) >= 0; ) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    if (stderrTail.length() > STDERR_TAIL_CHARS) {
                        stderrTail.delete(0, stderrTail.length() - STDERR_TAIL_CHARS);
                    }
                }
            }
        } catch (IOException ignored) {
            // The stream closes when the process ends; nothing more to collect.
        }
    }

    private String stderrNote() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; oracle stderr:\n" + stderrTail;
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A response frame: the JSON header's fields and the raw payloads. */
    record Response(Map<String, Object> fields, List<byte[]> payloads) {
        boolean ok() {
            return Boolean.TRUE.equals(fields.get("ok"));
        }

        byte[] payload(int i) {
            if (i >= payloads.size()) {
                throw new IllegalStateException("response has " + payloads.size() + " payloads, wanted #" + i);
            }
            return payloads.get(i);
        }

        String string(String key) {
            return String.valueOf(require(key));
        }

        long number(String key) {
            return ((Number) require(key)).longValue();
        }

        boolean bool(String key) {
            return Boolean.TRUE.equals(fields.get(key));
        }

        private Object require(String key) {
            Object value = fields.get(key);
            if (value == null) {
                throw new IllegalStateException("response header lacks \"" + key + "\": " + fields);
            }
            return value;
        }
    }

    /** Just enough JSON for the oracle's flat headers: strings, numbers, booleans, null and arrays of these. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        static Map<String, Object> parseObject(String text) throws IOException {
            Json json = new Json(text);
            Object value = json.value();
            json.skipSpace();
            if (!(value instanceof Map<?, ?>) || json.at != text.length()) {
                throw new IOException("response header is not one JSON object: " + text);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            return map;
        }

        private Object value() throws IOException {
            skipSpace();
            if (at >= text.length()) {
                throw new EOFException("truncated JSON: " + text);
            }
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    at++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    skipSpace();
                    if (peek('}')) {
                        return map;
                    }
                    do {
                        skipSpace();
                        String key = string();
                        skipSpace();
                        expect(':');
                        map.put(key, value());
                        skipSpace();
                    } while (peek(','));
                    expect('}');
                    return map;
                }
                case '[' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    skipSpace();
                    if (peek(']')) {
                        return list;
                    }
                    do {
                        list.add(value());
                        skipSpace();
                    } while (peek(','));
                    expect(']');
                    return list;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    for (String literal : List.of("true", "false", "null")) {
                        if (text.startsWith(literal, at)) {
                            at += literal.length();
                            return literal.equals("null") ? null : Boolean.valueOf(literal);
                        }
                    }
                    int start = at;
                    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                        at++;
                    }
                    String number = text.substring(start, at);
                    if (number.isEmpty()) {
                        throw new IOException("unexpected '" + c + "' at " + start + " in " + text);
                    }
                    return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
                }
            }
        }

        private String string() throws IOException {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(escaped);
                }
            }
            throw new EOFException("unterminated JSON string: " + text);
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) throws IOException {
            if (!peek(c)) {
                throw new IOException("expected '" + c + "' at " + at + " in " + text);
            }
        }
    }
}
