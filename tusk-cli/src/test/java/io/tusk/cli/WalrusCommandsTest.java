package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.gateway.Gateway;
import io.tusk.gateway.GatewayConfig;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Walrus CLI commands Tusk added for issue 10, in-process against a LocalCluster's client.yaml: the blob attribute
 * commands, {@code store --dry-run}, {@code store --upload-relay}, the {@code info} sections, {@code convert-blob-id}
 * and {@code completion}.
 */
class WalrusCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static Gateway gateway;
    static String config;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
        gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), cluster.directory().resolve("wallet.key"))
                .withPort(0));
        config = cluster.clientConfigFile().toString();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static String objectIdOfStore(Path file, String... extra) throws Exception {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"store", "--config", config, "--json", file.toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return json(CliRun.run(args)).get(0).path("blobStoreResult").path("newlyCreated").path("blobObject")
                .path("id").asText();
    }

    @Test
    void shouldSetGetAndRemoveBlobAttributes() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "<p>hi</p>", StandardCharsets.UTF_8);
        String objectId = objectIdOfStore(file, "--epochs", "2");
        CliRun set = CliRun.run("set-blob-attribute", objectId, "--config", config, "--attr", "content-type",
                "text/html", "--attr", "lang", "en");
        assertThat(set.exit()).as(set.err()).isZero();
        JsonNode got = json(CliRun.run("get-blob-attribute", objectId, "--config", config, "--json"));
        assertThat(got.path("content-type").asText()).isEqualTo("text/html");
        assertThat(got.path("lang").asText()).isEqualTo("en");
        assertThat(CliRun.run("get-blob-attribute", objectId, "--config", config).out())
                .contains("content-type: text/html");

        assertThat(CliRun.run("remove-blob-attribute-fields", objectId, "--config", config, "--keys", "lang").exit())
                .isZero();
        CliRun missing = CliRun.run("remove-blob-attribute-fields", objectId, "--config", config, "--keys", "lang");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(missing.err().lines().count()).isEqualTo(1);
        assertThat(missing.err()).contains("has no key 'lang'");
        assertThat(CliRun.run("remove-blob-attribute", objectId, "--config", config).exit()).isZero();
        assertThat(json(CliRun.run("get-blob-attribute", objectId, "--config", config, "--json")).isNull()).isTrue();

        CliRun bad = CliRun.run("set-blob-attribute", "not-an-id", "--config", config, "--attr", "k", "v");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).startsWith("tusk: 'not-an-id' is not a blob object ID");
        CliRun odd = CliRun.run("set-blob-attribute", objectId, "--config", config, "--attr", "only-a-key");
        assertThat(odd.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void shouldShareFundAndExtendABlobFromItsFunds() throws Exception {
        Path file = Files.writeString(dir.resolve("shared.txt"), "keep me alive", StandardCharsets.UTF_8);
        String objectId = objectIdOfStore(file, "--epochs", "2");
        JsonNode shared = json(CliRun.run("share", "--config", config, "--json", "--blob-obj-id", objectId));
        String sharedId = shared.path("sharedBlobObjectId").asText();
        assertThat(sharedId).startsWith("0x").isNotEqualTo(objectId);
        assertThat(shared.path("amount").isNull()).isTrue();
        // the blob object is no longer this account's
        assertThat(CliRun.run("list-blobs", "--config", config, "--json").out()).doesNotContain(objectId);
        CliRun delete = CliRun.run("delete", "--config", config, "--object-id", objectId);
        assertThat(delete.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(delete.err().lines().count()).isEqualTo(1);

        // no funds yet: the extension is refused and this account's balance is not touched
        CliRun unfunded = CliRun.run("extend", "--config", config, "--blob-obj-id", sharedId, "--shared",
                "--epochs-extended", "1");
        assertThat(unfunded.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(unfunded.err().lines().count()).isEqualTo(1);
        assertThat(unfunded.err()).contains("in funds");

        assertThat(json(CliRun.run("fund-shared-blob", "--config", config, "--json", "--shared-blob-obj-id", sharedId,
                "--amount", "1000000")).path("amount").asLong()).isEqualTo(1_000_000);
        JsonNode extended = json(CliRun.run("extend", "--config", config, "--json", "--object-id", sharedId, "--shared",
                "--epochs", "3"));
        JsonNode event = extended.get(0).path("events").get(0);
        assertThat(event.path("objectId").asText()).isEqualTo(objectId);
        assertThat(event.path("isExtension").asBoolean()).isTrue();
        int endEpoch = event.path("endEpoch").asInt();
        try (var control = new io.tusk.control.client.ControlClient(cluster.controlUrl())) {
            var after = control.sharedBlob(sharedId).orElseThrow();
            assertThat(after.blob().storage().endEpoch()).isEqualTo(endEpoch);
            assertThat(after.funds()).isLessThan(1_000_000).isPositive(); // the extension was paid from them
        }

        CliRun bad = CliRun.run("fund-shared-blob", "--config", config, "--shared-blob-obj-id", "nope", "--amount", "1");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).startsWith("tusk: --shared-blob-obj-id: 'nope' is not an object ID");
        assertThat(CliRun.run("extend", "--config", config, "--shared", "--epochs", "1").exit())
                .isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void shouldBurnChosenObjectsAndRefuseToBurnUnasked() throws Exception {
        Path first = Files.writeString(dir.resolve("burn-1.txt"), "burn one", StandardCharsets.UTF_8);
        Path second = Files.writeString(dir.resolve("burn-2.txt"), "burn two", StandardCharsets.UTF_8);
        String one = objectIdOfStore(first, "--epochs", "2", "--permanent");
        String two = objectIdOfStore(second, "--epochs", "2");
        // not on a terminal and no --yes: nothing is burned
        CliRun unasked = CliRun.run("burn-blobs", "--config", config, "--object-ids", one);
        assertThat(unasked.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unasked.err()).contains("pass --yes");
        assertThat(CliRun.run("list-blobs", "--config", config, "--json").out()).contains(one);

        JsonNode burned = json(CliRun.run("burn-blobs", "--config", config, "--json", "--yes", "--object-ids", one, two));
        assertThat(burned.path("objectIds").size()).isEqualTo(2);
        String listed = CliRun.run("list-blobs", "--config", config, "--json").out();
        assertThat(listed).doesNotContain(one).doesNotContain(two);
        // the data stays readable until it expires; the object can no longer be deleted
        Path copy = dir.resolve("burn-1.copy");
        String blobId = new BlobEncoder(10).computeMetadata(Files.readAllBytes(first)).blobId().toString();
        assertThat(CliRun.run("read", blobId, "--config", config, "--no-cache", "--out", copy.toString()).exit()).isZero();
        assertThat(Files.readString(copy)).isEqualTo("burn one");
        CliRun delete = CliRun.run("delete", "--config", config, "--object-id", two);
        assertThat(delete.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(delete.err()).contains("burned");

        // nothing expired yet: --all-expired burns nothing; the options exclude each other
        assertThat(json(CliRun.run("burn-blobs", "--config", config, "--json", "--yes", "--all-expired"))
                .path("objectIds").size()).isZero();
        assertThat(CliRun.run("burn-blobs", "--config", config, "--yes", "--all", "--all-expired").exit())
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(CliRun.run("burn-blobs", "--config", config, "--yes").exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void shouldDryRunAStoreWithoutStoringIt() throws Exception {
        byte[] data = "dry run bytes".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("dry.bin"), data);
        JsonNode dry = json(CliRun.run("store", "--config", config, "--json", "--dry-run", "--epochs", "3",
                file.toString())).get(0);
        String blobId = new BlobEncoder(10).computeMetadata(data).blobId().toString();
        assertThat(dry.path("blobId").asText()).isEqualTo(blobId);
        assertThat(dry.path("unencodedSize").asLong()).isEqualTo(data.length);
        assertThat(dry.path("encodedSize").asLong()).isGreaterThan(data.length);
        assertThat(dry.path("storageCost").asLong()).isPositive();
        // Nothing was registered.
        JsonNode status = json(CliRun.run("blob-status", blobId, "--config", config, "--json"));
        assertThat(status.toString()).contains("nonexistent");
    }

    @Test
    void shouldStoreThroughAnUploadRelay() throws Exception {
        byte[] data = new byte[100_000];
        new java.util.Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("relayed.bin"), data);
        JsonNode stored = json(CliRun.run("store", "--config", config, "--json", "--upload-relay",
                gateway.uri().toString(), file.toString())).get(0);
        String blobId = stored.path("blobStoreResult").path("newlyCreated").path("blobObject").path("blobId").asText();
        assertThat(blobId).isEqualTo(new BlobEncoder(10).computeMetadata(data).blobId().toString());
        Path copy = dir.resolve("relayed.copy");
        assertThat(CliRun.run("read", blobId, "--config", config, "--out", copy.toString()).exit()).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(data);
        CliRun both = CliRun.run("store", "--config", config, "--upload-relay", gateway.uri().toString(),
                "--chunk-size", "1000", file.toString());
        assertThat(both.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void shouldPayARelaysTipWithinMaxTipAndTransfer() throws Exception {
        try (Gateway tipped = Gateway.start(GatewayConfig.of(cluster.controlUrl(), dir.resolve("tipped/relay.key"))
                .withPort(0).withRelay(io.tusk.gateway.UploadRelayConfig.tipped(
                        io.tusk.client.RelayTip.constant(null, 500))))) {
            String relayAddress = JSON.readTree(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(tipped.uri().resolve("/v1/tip-config")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("send_tip").path("address").asText();
            byte[] data = new byte[20_000];
            new java.util.Random(8).nextBytes(data);
            Path file = Files.write(dir.resolve("tipped.bin"), data);
            CliRun refused = CliRun.run("store", "--config", config, "--upload-relay", tipped.uri().toString(),
                    "--max-tip", "499", file.toString());
            assertThat(refused.exit()).as(refused.err()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(refused.err().strip()).doesNotContain("\n").contains("asks a tip of 500")
                    .contains("nothing was paid");
            JsonNode stored = json(CliRun.run("store", "--config", config, "--json", "--upload-relay",
                    tipped.uri().toString(), "--max-tip", "500", file.toString())).get(0);
            assertThat(stored.path("blobStoreResult").path("newlyCreated").path("blobObject").path("blobId").asText())
                    .isEqualTo(new BlobEncoder(10).computeMetadata(data).blobId().toString());
            CliRun noRelay = CliRun.run("store", "--config", config, "--max-tip", "5", file.toString());
            assertThat(noRelay.exit()).isEqualTo(Main.EXIT_USAGE);

            // the relay was paid exactly its tip; a transfer by hand names its payment SENDER:NONCE
            JsonNode paid = json(CliRun.run("transfer", "--config", config, "--json", "--to", relayAddress,
                    "--amount", "7", "--memo", "thanks"));
            assertThat(paid.path("txId").asText()).isEqualTo(paid.path("sender").asText() + ":"
                    + paid.path("nonce").asLong());
            try (io.tusk.control.client.ControlClient control = new io.tusk.control.client.ControlClient(
                    cluster.controlUrl())) {
                assertThat(control.account(relayAddress).orElseThrow().balance()).isEqualTo(507);
                var applied = control.appliedCommand(paid.path("sender").asText(), paid.path("nonce").asLong())
                        .orElseThrow();
                assertThat(((io.tusk.control.api.Event.Transferred) applied.events().getFirst()).memo())
                        .isEqualTo("thanks".getBytes(StandardCharsets.UTF_8));
            }
            CliRun tooMuch = CliRun.run("transfer", "--config", config, "--to", relayAddress, "--amount",
                    String.valueOf(Long.MAX_VALUE));
            assertThat(tooMuch.exit()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(tooMuch.err().strip()).doesNotContain("\n").contains("transferring");
            assertThat(CliRun.run("transfer", "--config", config, "--to", "nope", "--amount", "1").exit())
                    .isEqualTo(Main.EXIT_USAGE);
        }
    }

    @Test
    void shouldPrintInfoSectionsAndKeepTheWholeShape() throws Exception {
        JsonNode all = json(CliRun.run("info", "--config", config, "--json"));
        assertThat(all.has("epoch") && all.has("nShards") && all.has("maxBlobSize") && all.has("prices")
                && all.has("committee")).isTrue();
        assertThat(json(CliRun.run("info", "epoch", "--config", config, "--json")).path("currentEpoch").asInt())
                .isEqualTo(all.path("epoch").path("epoch").asInt());
        assertThat(json(CliRun.run("info", "storage", "--config", config, "--json")).path("nShards").asInt())
                .isEqualTo(10);
        assertThat(json(CliRun.run("info", "size", "--config", config, "--json")).path("maxBlobSize").asLong())
                .isEqualTo(all.path("maxBlobSize").asLong());
        assertThat(json(CliRun.run("info", "bft", "--config", config, "--json")).path("f").asInt()).isEqualTo(3);
        assertThat(json(CliRun.run("info", "price", "--config", config, "--json")).has("storagePricePerUnitSize"))
                .isTrue();
        assertThat(json(CliRun.run("info", "committee", "--config", config, "--json")).path("committee")
                .path("members").size()).isEqualTo(4);
        assertThat(CliRun.run("info", "all", "--config", config).out()).contains("committee of epoch");
    }

    @Test
    void shouldConvertBlobIdsAndPrintCompletion() {
        CliRun zero = CliRun.run("convert-blob-id", "0");
        assertThat(zero.out().strip()).isEqualTo("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        // 1 is the first byte set (little-endian, as Sui's BCS of a u256).
        assertThat(CliRun.run("convert-blob-id", "1").out().strip()).isEqualTo("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        String id = "dvCaDlH0tyHuHk1Mh6jBjW4H-peoXVkd-GgvvpMCZ50";
        String decimal = CliRun.run("convert-blob-id", id).out().strip();
        assertThat(CliRun.run("convert-blob-id", decimal).out().strip()).isEqualTo(id);
        CliRun tooLarge = CliRun.run("convert-blob-id", "9".repeat(80));
        assertThat(tooLarge.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(tooLarge.err()).contains("larger than a u256");

        CliRun bash = CliRun.run("completion");
        assertThat(bash.exit()).isZero();
        assertThat(bash.out()).contains("set-blob-attribute").contains("complete");
        assertThat(CliRun.run("completion", "--shell", "fish").exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void shouldRunOneJsonCommandAsWalrusJsonDoes() throws Exception {
        byte[] data = "json mode".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("json-mode.txt"), data);
        String command = "{\"config\": " + JSON.writeValueAsString(config) + ", \"command\": {\"store\": {\"files\": ["
                + JSON.writeValueAsString(file.toString()) + "], \"epochs\": 2, \"permanent\": true}}}";
        JsonNode stored = json(CliRun.run("json", command)).get(0);
        JsonNode object = stored.path("blobStoreResult").path("newlyCreated").path("blobObject");
        assertThat(object.path("blobId").asText()).isEqualTo(new BlobEncoder(10).computeMetadata(data).blobId().toString());
        assertThat(object.path("deletable").asBoolean()).isFalse();
        JsonNode status = json(CliRun.run("json", "{\"config\": " + JSON.writeValueAsString(config)
                + ", \"command\": {\"blobStatus\": {\"blobId\": \"" + object.path("blobId").asText() + "\"}}}"));
        assertThat(status.toString()).contains("permanent");

        CliRun unknown = CliRun.run("json", "{\"command\": {\"fly\": {}}}");
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unknown.err()).contains("unknown command 'fly'");
        CliRun field = CliRun.run("json", "{\"command\": {\"store\": {\"wings\": 2}}}");
        assertThat(field.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(field.err()).contains("no option or parameter 'wings'");
        assertThat(CliRun.run("json", "not json").exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(JsonCommand.arguments(JSON.readTree("{\"command\": {\"setBlobAttribute\": {\"objectId\": \"0x1\", "
                + "\"attr\": {\"a\": \"b\"}}}}"), new picocli.CommandLine(new Main())))
                .containsExactly("set-blob-attribute", "--attr", "a", "b", "--json", "--", "0x1");

        // subcommands at every level: Walrus's "command" field, or by name; positionals in their order, not the JSON's
        JsonNode epoch = json(CliRun.run("json", "{\"config\": " + JSON.writeValueAsString(config)
                + ", \"command\": {\"info\": {\"command\": {\"epoch\": {}}}}}"));
        assertThat(epoch.path("currentEpoch").asInt()).isPositive();
        var cli = new picocli.CommandLine(new Main());
        assertThat(JsonCommand.arguments(JSON.readTree("{\"config\": \"c.yaml\", \"command\": {\"space\": {\"put\": "
                + "{\"file\": \"a.txt\", \"name\": \"notes\", \"key\": \"-k\"}}}}"), cli))
                .containsExactly("space", "put", "--config", "c.yaml", "--json", "--", "notes", "-k", "a.txt");
        assertThat(JsonCommand.arguments(JSON.readTree("{\"command\": {\"info\": {\"command\": {\"bft\": {}}}}}"),
                cli)).containsExactly("info", "bft", "--json", "--");
        CliRun nestedUnknown = CliRun.run("json", "{\"command\": {\"space\": {\"fly\": {}}}}");
        assertThat(nestedUnknown.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(nestedUnknown.err()).contains("'space' has no option or parameter 'fly'");
        CliRun twoSubcommands = CliRun.run("json", "{\"command\": {\"info\": {\"epoch\": {}, \"bft\": {}}}}");
        assertThat(twoSubcommands.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(twoSubcommands.err()).contains("takes one subcommand");
    }
}
