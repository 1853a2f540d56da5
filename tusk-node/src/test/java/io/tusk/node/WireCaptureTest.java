package io.tusk.node;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/** Scratch (not committed): dumps the node's exact answers to many requests, to diff before and after a refactor. */
class WireCaptureTest {
    static final int N = 10;
    static final List<Integer> OWNED = List.of(0, 3, 4, 8);

    @TempDir
    Path dir;

    StringBuilder out = new StringBuilder();
    int port;

    @Test
    void capture() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        BlsKeyPair key = BlsKeyPair.fromSecret(secret);
        Files.writeString(dir.resolve("node.bls"), HexFormat.of().formatHex(key.secret()));
        Arrays.fill(secret, (byte) 9);
        BlsKeyPair other = BlsKeyPair.fromSecret(secret);
        List<Integer> rest = IntStream.range(0, N).boxed().filter(s -> !OWNED.contains(s)).toList();
        FakeControl control = new FakeControl(new CommitteeInfo(1, N, List.of(
                new CommitteeMember("0x01", "me", "127.0.0.1:1", key.publicKey().bytes(), 1, OWNED),
                new CommitteeMember("0x02", "other", "127.0.0.1:2", other.publicKey().bytes(), 1, rest))));
        NodeConfig config = NodeConfig.of(dir.resolve("db"), dir.resolve("node.bls"), URI.create("http://unused"))
                .withPort(0);
        config = new NodeConfig(config.dataDir(), config.bindHost(), 0, config.blsKeyFile(), config.controlUrl(), false,
                100, 1 << 20, 60_000, 100, 200, 3_000, 16, config.recovery());
        try (StorageNode node = StorageNode.start(config, control)) {
            await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.follower().hasCommittee());
            port = node.port();
            byte[] data = new byte[5000];
            new java.util.Random(7).nextBytes(data);
            EncodedBlob blob = new BlobEncoder(N).encode(data);
            BlobId id = blob.blobId();
            String b = "/v1/blobs/" + id;
            byte[] meta = blob.metadata().metadata().toBcs();
            List<Integer> pairs = OWNED.stream().map(s -> id.pairForShard(s, N)).sorted().toList();
            int pair = pairs.get(0);
            int notOwned = IntStream.range(0, N).filter(q -> !pairs.contains(q)).findFirst().orElseThrow();
            byte[] primary = blob.pairs().get(pair).primary().toBcs();

            req("GET", b + "/status", null);
            req("GET", b + "/metadata", null);
            req("GET", b + "/metadata/status", null);
            req("PUT", b + "/metadata", meta);
            req("GET", b + "/confirmation/permanent", null);
            req("GET", b + "/confirmation/permanent?wait_for_registration=false&wait_millis=10", null);
            req("PUT", b + "/metadata?pending=true", meta);
            req("PUT", b + "/slivers/" + pair + "/primary?pending=true", primary);
            req("GET", b + "/metadata/status", null);
            req("GET", b + "/slivers/" + pair + "/primary/status", null);
            long cursor = control.nextCursor();
            control.append(new Event.BlobRegistered(cursor, 1, id.toString(), StorageNodeApiTest.objectHex(0xcd),
                    "0xowner", 5000, "RS2", 5, false));
            await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
            req("GET", b + "/status", null);
            req("GET", b + "/confirmation/permanent", null);
            req("PUT", b + "/metadata", new byte[] {0, 1, 2});
            req("PUT", b + "/metadata", meta, "Content-Type", "application/json");
            byte[] tampered = meta.clone();
            tampered[tampered.length - 1] ^= 1;
            req("PUT", b + "/metadata", tampered);
            byte[] raptor = meta.clone();
            raptor[1] = 0;
            req("PUT", b + "/metadata", raptor);
            req("PUT", b + "/metadata", new byte[(2 << 20) + 1]);
            req("PUT", b + "/metadata", meta, "Content-Type", "application/octet-stream; charset=x");
            req("PUT", b + "/metadata", meta);
            for (int q : pairs) {
                for (SliverType type : SliverType.values()) {
                    req("PUT", b + "/slivers/" + q + "/" + type.wireName(), blob.pairs().get(q).sliver(type).toBcs());
                }
            }
            req("PUT", b + "/slivers/" + pair + "/primary", primary);
            req("PUT", b + "/slivers/" + N + "/primary", primary);
            req("PUT", b + "/slivers/" + notOwned + "/primary", blob.pairs().get(notOwned).primary().toBcs());
            req("GET", b + "/slivers/" + notOwned + "/primary", null);
            req("GET", b + "/slivers/" + notOwned + "/primary/status", null);
            req("PUT", b + "/slivers/" + pair + "/secondary", primary);
            req("PUT", b + "/slivers/" + pair + "/primary", new byte[] {5, 1});
            byte[] corrupt = primary.clone();
            corrupt[5] ^= 0x40;
            req("PUT", b + "/slivers/" + pairs.get(1) + "/primary", corrupt);
            req("PUT", b + "/slivers/" + pair + "/primary", new byte[64 * 1024 * 1024]);
            req("PUT", b + "/slivers/" + pair + "/primary", new byte[100_000]);
            for (int q : pairs) {
                for (SliverType type : SliverType.values()) {
                    req("GET", b + "/slivers/" + q + "/" + type.wireName(), null);
                    req("GET", b + "/slivers/" + q + "/" + type.wireName() + "/status", null);
                }
            }
            req("GET", b + "/metadata", null);
            req("GET", b + "/metadata?pending=true", null);
            req("GET", b + "/metadata/status", null);
            req("GET", b + "/confirmation/permanent", null);
            req("GET", b + "/confirmation/permanent?wait_for_registration=true&wait_millis=100&extra=1", null);
            req("GET", b + "/confirmation/deletable/" + StorageNodeApiTest.objectHex(0xcd), null);
            req("GET", b + "/confirmation/deletable/0xcd", null);
            req("GET", b + "/status", null);
            long c2 = control.nextCursor();
            control.append(new Event.BlobCertified(c2, 1, id.toString(), StorageNodeApiTest.objectHex(0xcd), 5, false,
                    false));
            await().atMost(StorageNodeApiTest.EVENT_TIMEOUT).until(() -> node.store().eventCursor() > c2);
            req("GET", b + "/status", null);
            // recovery and decoding symbols
            req("GET", b + "/recoverySymbols?id=" + pair + "-2&id=" + pair + "-1", null);
            req("GET", b + "/recoverySymbols?id=" + pair + "-2&proofAxis=primary", null);
            req("GET", b + "/recoverySymbols?id=" + pair + "-2&proofAxis=secondary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3&targetType=secondary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3&targetType=primary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3&targetType=secondary&proofAxis=secondary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3&targetType=secondary&proofAxis=primary", null);
            req("GET", b + "/recoverySymbols?targetSliver=99&targetType=secondary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3", null);
            req("GET", b + "/recoverySymbols?targetSliver=x&targetType=primary", null);
            req("GET", b + "/recoverySymbols?targetSliver=3&targetType=Primary", null);
            req("GET", b + "/recoverySymbols?id=1-2&proofAxis=sideways", null);
            req("GET", b + "/recoverySymbols?id=9-9", null);
            req("GET", b + "/recoverySymbols?id=", null);
            req("GET", b + "/recoverySymbols", null);
            req("GET", b + "/recoverySymbols?id=1:2", null);
            req("GET", b + "/recoverySymbols?id=70000-1", null);
            req("GET", b + "/recoverySymbols?proofAxis=primary&proofAxis=secondary&id=1-2", null);
            req("GET", b + "/decodingSymbols?targetSlivers=0&targetSlivers=1&targetType=primary", null);
            req("GET", b + "/decodingSymbols?targetSlivers=0&targetType=secondary", null);
            req("GET", b + "/decodingSymbols?targetSlivers=9&targetType=primary", null);
            req("GET", b + "/decodingSymbols?targetType=primary", null);
            req("GET", b + "/decodingSymbols?targetSlivers=0", null);
            req("GET", b + "/decodingSymbols?targetSlivers=abc&targetType=primary", null);
            req("GET", b + "/decodingSymbols?targetSlivers=0&targetType=primary&targetType=primary", null);
            // inconsistency proofs
            req("POST", b + "/inconsistencyProof/primary", new byte[] {1, 2, 3});
            req("POST", b + "/inconsistencyProof/secondary", new byte[0]);
            req("POST", b + "/inconsistencyProof/tertiary", new byte[0]);
            // sync shard
            req("POST", "/v1/migrate/sync_shard", new byte[] {1});
            req("POST", "/v1/migrate/sync_shard", new byte[] {1}, "Authorization", "notbase64!");
            req("POST", "/v1/migrate/sync_shard", new byte[] {1}, "Authorization", other.publicKey().toBase64());
            req("POST", "/v1/migrate/sync_shard", new byte[100_000], "Authorization", other.publicKey().toBase64());
            // framework rejections
            req("GET", "/v1/blobs/notablobid/metadata", null);
            req("GET", "/v1/blobs/" + id + "=/metadata", null);
            req("GET", b + "/slivers/abc/primary", null);
            req("GET", b + "/slivers/1/Primary", null);
            req("GET", b + "/slivers/70000/primary", null);
            req("GET", b + "/slivers/-1/primary", null);
            req("GET", b + "/slivers/01/primary", null);
            req("GET", b + "/confirmation/deletable/0xzz", null);
            req("GET", b + "/confirmation/permanent?wait_for_registration=yes", null);
            req("GET", b + "/confirmation/permanent?wait_millis=abc", null);
            req("GET", b + "/confirmation/permanent?wait_millis=99999999999999999999", null);
            req("GET", b + "/confirmation/permanent?wait_for_registration=true&wait_for_registration=false", null);
            req("PUT", b + "/metadata?pending=maybe", meta);
            req("PUT", b + "/metadata?other=1", meta);
            req("PUT", b + "/metadata?pending=true&pending=true", meta);
            req("PUT", b + "/slivers/" + pair + "/primary?pending=1", primary);
            req("GET", "/v1/nothing", null);
            req("GET", "/v1/blobs/" + id, null);
            req("GET", "/v1/blobs/" + id + "/", null);
            req("GET", b + "/metadata/", null);
            req("DELETE", b + "/metadata", null);
            req("POST", b + "/slivers/" + pair + "/primary", primary);
            req("POST", "/v1/health", null);
            req("GET", "/v1/migrate/sync_shard", null);
            req("GET", "/v1/health?detailed=maybe", null);
            req("OPTIONS", b + "/metadata", null, "Origin", "https://example.com", "Access-Control-Request-Method",
                    "PUT");
            req("OPTIONS", b + "/metadata", null, "Origin", "https://example.com", "Access-Control-Request-Method",
                    "PUT", "Access-Control-Request-Headers", "content-type");
            BlobId unknown = BlobId.of(new byte[32]);
            req("GET", "/v1/blobs/" + unknown + "/metadata", null);
            req("GET", "/v1/blobs/" + unknown + "/status", null);
            req("GET", "/v1/blobs/" + unknown + "/slivers/0/primary", null);
            req("GET", "/v1/blobs/" + unknown + "/recoverySymbols?id=1-2", null);
            req("GET", "/v1/blobs/" + unknown + "/decodingSymbols?targetSlivers=0&targetType=primary", null);
            req("GET", "/v1/blobs/" + unknown + "/confirmation/permanent", null);
        }
        Path target = Path.of(System.getProperty("capture.out", "/tmp/house/wire.txt"));
        Files.createDirectories(target.getParent());
        Files.writeString(target, out.toString());
    }

    void req(String method, String path, byte[] body, String... headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream o = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            o.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                if (body != null) {
                    o.write(body);
                }
                o.flush();
            } catch (java.io.IOException e) {
                // the server may close early on a large refused body
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (java.io.IOException e) {
                // reset after the answer
            }
            byte[] bytes = all.toByteArray();
            int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String header = new String(bytes, 0, split < 0 ? bytes.length : split, StandardCharsets.ISO_8859_1);
            byte[] rest = split < 0 ? new byte[0] : Arrays.copyOfRange(bytes, split + 4, bytes.length);
            out.append("### ").append(method).append(' ').append(path.replaceAll("/v1/blobs/[A-Za-z0-9_-]{43}", "/v1/blobs/ID"))
                    .append(headers.length > 0 ? " " + List.of(headers) : "")
                    .append(body == null ? "" : " body=" + body.length).append('\n');
            for (String line : header.split("\r\n")) {
                if (!line.regionMatches(true, 0, "Date:", 0, 5)) {
                    out.append(line).append('\n');
                }
            }
            boolean text = header.toLowerCase().contains("content-type: application/json")
                    || header.toLowerCase().contains("content-type: text/plain");
            if (header.contains("/metrics") || path.startsWith("/v1/health")) {
                out.append("<health/metrics body omitted>\n");
            } else if (text) {
                out.append(new String(rest, StandardCharsets.UTF_8).replaceAll("TraceID: [0-9a-f]+", "TraceID: X"))
                        .append('\n');
            } else {
                out.append("bytes=").append(rest.length).append(" sha256=")
                        .append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rest))).append('\n');
            }
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
