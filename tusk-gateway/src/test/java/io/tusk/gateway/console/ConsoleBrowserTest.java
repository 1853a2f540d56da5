package io.tusk.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.gateway.Gateway;
import io.tusk.gateway.GatewayConfig;
import io.tusk.http.TuskJson;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (the system's headless Chromium over the DevTools protocol) against a real four-node
 * devnet and gateway: every page loads without a console error, shows the nodes by name, the committee and shard map
 * and a stored blob; it works with the keyboard alone, its text meets WCAG AA contrast, it fits a phone's width, and
 * it loads nothing from another origin. A screenshot of each page is kept in {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final int NODES = 4;
    private static final int SHARDS = 16;
    /** WCAG 2.x contrast of every element's own text against its effective background; the failures as text. */
    private static final String CONTRAST_FAILURES = """
            (() => {
              const parse = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
                const p = m[1].split(',').map((s) => parseFloat(s)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
              const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
              const background = (el) => { const layers = [];
                for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                  if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
                let base = { r: 255, g: 255, b: 255 };
                for (let i = layers.length - 1; i >= 0; i--) { const c = layers[i];
                  base = { r: c.r * c.a + base.r * (1 - c.a), g: c.g * c.a + base.g * (1 - c.a), b: c.b * c.a + base.b * (1 - c.a) }; }
                return base; };
              const failures = [];
              for (const el of document.querySelectorAll('body *')) {
                if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
                if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
                const s = getComputedStyle(el);
                if (s.visibility === 'hidden') continue;
                const fg = parse(s.color); const bg = background(el);
                const a = lum(fg); const b = lum(bg);
                const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                const size = parseFloat(s.fontSize); const large = size >= 24 || (parseInt(s.fontWeight) >= 700 && size >= 18.66);
                if (ratio < (large ? 3 : 4.5)) failures.push(el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));
              }
              return failures;
            })()""";

    private LocalCluster cluster;
    private Gateway gateway;
    private Chromium chromium;
    private Chromium.Page page;
    private String base;
    private String blobId;
    private byte[] blob;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), NODES, SHARDS, 0, 0);
        gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), cluster.directory().resolve("wallet.key"))
                .withPort(0));
        base = gateway.uri().toString();
        blob = new byte[3000];
        new Random(11).nextBytes(blob);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/blobs?epochs=3"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        blobId = TuskJson.mapper().readTree(stored.body()).path("newlyCreated").path("blobObject").path("blobId")
                .asText();
        http.send(HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + blobId)).build(),
                HttpResponse.BodyHandlers.discarding());
        chromium = Chromium.launch(dir.resolve("chromium-profile"));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openTab() throws Exception {
        page = chromium.newPage();
        page.viewport(1280, 900, false);
    }

    @AfterEach
    void noErrors() {
        assertThat(page.errors()).as("console errors, exceptions and failed loads").isEmpty();
    }

    @Test
    void theOverviewShowsEveryNodeByNameWithItsHealthStorageAndTheActivity() throws Exception {
        page.navigate(base + "/console");
        page.waitFor("document.querySelectorAll('#nodes tbody tr').length === " + NODES, Duration.ofSeconds(30));
        JsonNode rows = page.evaluate("[...document.querySelectorAll('#nodes tbody tr')].map(r => r.innerText)");
        List<String> texts = new ArrayList<>();
        rows.forEach(r -> texts.add(r.asText()));
        for (int i = 1; i <= NODES; i++) {
            String name = "node-" + i;
            assertThat(texts).as("the row of " + name).anySatisfy(t -> assertThat(t).startsWith(name).contains("Active")
                    .contains(String.valueOf(SHARDS / NODES)));
        }
        assertThat(page.evaluate("document.getElementById('sum-nodes').textContent").asText()).isEqualTo("4 of 4");
        assertThat(page.evaluate("document.getElementById('sum-blobs').textContent").asText()).isEqualTo("1");
        assertThat(page.evaluate("document.getElementById('sum-spaces').textContent").asText())
                .isEqualTo("0"); // the control plane's tusk_control_spaces: none created here
        assertThat(page.evaluate("document.getElementById('events').innerText").asText())
                .contains("blobRegistered").contains("blobCertified");
        // Live charts: reads through the gateway while the page polls show up as a rate and a latency.
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < until) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/blobs/" + blobId)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(blob);
            Thread.sleep(100);
        }
        page.waitFor("document.querySelectorAll('.chart svg').length === 3", Duration.ofSeconds(30));
        // A latency line exists only for intervals with reads (none without): the page saw the reads.
        page.waitFor("document.querySelectorAll('#chart-latency path').length > 0", Duration.ofSeconds(15));
        assertThat(page.evaluate("document.querySelector('#chart-requests text').textContent").asText())
                .as("the read rate's scale").isNotEqualTo("1.0");
        assertThat(page.evaluate("document.title").asText()).isEqualTo("Network overview · Tusk console");
        assertThat(page.evaluate(CONTRAST_FAILURES)).as("text below WCAG AA contrast").isEmpty();
        page.screenshot(SCREENSHOTS.resolve("overview.png"));
    }

    @Test
    void theShardPageShowsTheCommitteeAndTheShardMapOfTheEpoch() throws Exception {
        page.navigate(base + "/console#/shards");
        page.waitFor("document.querySelectorAll('#committee tbody tr').length === " + NODES, Duration.ofSeconds(30));
        assertThat(page.evaluate("document.querySelectorAll('#shardmap .shard').length").asInt()).isEqualTo(SHARDS);
        JsonNode labels = page.evaluate("[...document.querySelectorAll('#shardmap .shard')].map(c => c.textContent)");
        labels.forEach(l -> assertThat(l.asText()).isIn("1", "2", "3", "4"));
        assertThat(page.evaluate("document.getElementById('legend').innerText").asText())
                .contains("node-1: 4 shards").contains("node-4: 4 shards");
        assertThat(page.evaluate("document.querySelector('input[value=previous]').disabled").asBoolean())
                .as("epoch 1 has no previous committee").isTrue();
        assertThat(page.evaluate("document.getElementById('committee-caption').textContent").asText())
                .contains("epoch 1");
        assertThat(page.evaluate(CONTRAST_FAILURES)).as("text below WCAG AA contrast").isEmpty();
        page.screenshot(SCREENSHOTS.resolve("shards.png"));
    }

    @Test
    void aBlobIsLookedUpWithTheKeyboardAloneAndItsSliversAreOnEveryOwner() throws Exception {
        page.navigate(base + "/console");
        page.waitFor("document.querySelectorAll('#nodes tbody tr').length > 0", Duration.ofSeconds(30));
        tabUntil("document.activeElement.getAttribute('href') === '#/blobs'", 10);
        page.press("Enter", 13);
        page.waitFor("!document.getElementById('page-blobs').hidden", Duration.ofSeconds(10));
        assertThat(page.evaluate("document.activeElement.id").asText()).isEqualTo("blobs-title");
        tabUntil("document.activeElement.id === 'blob-id'", 5);
        assertThat(page.evaluate("getComputedStyle(document.activeElement).outlineStyle").asText())
                .as("the focused field shows its focus").isNotEqualTo("none");
        page.type(blobId);
        page.press("Enter", 13);
        page.waitFor("!document.getElementById('blob-result').hidden", Duration.ofSeconds(30));
        assertThat(page.evaluate("location.hash").asText()).isEqualTo("#/blobs/" + blobId);
        String facts = page.evaluate("document.getElementById('blob-facts').innerText").asText();
        assertThat(facts).contains(blobId).contains("certified").contains("2.9 KiB");
        JsonNode stored = page.evaluate("[...document.querySelectorAll('#blob-nodes tbody tr')].map(r => "
                + "r.cells[2].textContent)");
        assertThat(stored).hasSize(NODES);
        stored.forEach(s -> assertThat(s.asText()).isEqualTo("8 of 8")); // 4 shards, primary and secondary
        // "Read it": the aggregator's read of the blob, from the page.
        assertThat(page.evaluate("document.getElementById('blob-read').getAttribute('href')").asText())
                .isEqualTo("/v1/blobs/" + blobId);
        assertThat(page.evaluate("fetch(document.getElementById('blob-read').href).then(r => r.arrayBuffer())"
                + ".then(b => b.byteLength)").asInt()).isEqualTo(blob.length);
        assertThat(page.evaluate(CONTRAST_FAILURES)).as("text below WCAG AA contrast").isEmpty();
        page.screenshot(SCREENSHOTS.resolve("blob-lookup.png"));

        // A malformed ID is refused on the page, with a message, before any request.
        page.evaluate("document.getElementById('blob-id').value = 'not a blob id'; "
                + "document.getElementById('lookup').requestSubmit(); true");
        page.waitFor("!document.getElementById('blob-error').hidden", Duration.ofSeconds(10));
        assertThat(page.evaluate("document.getElementById('blob-error').textContent").asText())
                .contains("43 characters");
    }

    @Test
    void onAPhoneThePagesFitTheScreenWidth() throws Exception {
        page.viewport(390, 844, true);
        for (String route : List.of("", "#/shards", "#/blobs/" + blobId)) {
            page.navigate(base + "/console" + route);
            page.waitFor("document.getElementById('updated').textContent.startsWith('Updated')", Duration.ofSeconds(30));
            if (route.startsWith("#/blobs")) {
                page.waitFor("!document.getElementById('blob-result').hidden", Duration.ofSeconds(30));
            }
            assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth").asBoolean())
                    .as("no sideways scrolling of the page at %s (tables scroll inside their region)", route).isTrue();
            String name = route.isEmpty() ? "overview" : route.startsWith("#/shards") ? "shards" : "blob-lookup";
            page.screenshot(SCREENSHOTS.resolve(name + "-phone.png"));
        }
    }

    @Test
    void theConsoleLoadsNothingFromAnotherOriginAndSaysSoInItsPolicy() throws Exception {
        page.navigate(base + "/console");
        page.waitFor("document.getElementById('updated').textContent.startsWith('Updated')", Duration.ofSeconds(30));
        JsonNode resources = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(resources).isNotEmpty();
        resources.forEach(r -> assertThat(r.asText()).startsWith(base + "/"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/console")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("script-src 'self'"));
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/console/assets/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("only the console's own assets").isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/console/assets/..%2F..%2Fmetrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("no way out of the assets").isBetween(400, 404);
    }

    /** Presses Tab until {@code condition} holds, at most {@code limit} times. */
    private void tabUntil(String condition, int limit) throws Exception {
        for (int i = 0; i < limit; i++) {
            page.press("Tab", 9);
            if (page.evaluate("Boolean(" + condition + ")").asBoolean()) {
                return;
            }
        }
        throw new AssertionError("keyboard focus never reached `" + condition + "` in " + limit + " Tab presses; it is on "
                + page.evaluate("document.activeElement.outerHTML.slice(0, 120)"));
    }
}
