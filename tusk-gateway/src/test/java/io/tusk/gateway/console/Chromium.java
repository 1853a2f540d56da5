package io.tusk.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The system's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket, JSON messages): just enough
 * to load pages, run scripts in them, press keys, emulate a phone and take screenshots, and to collect every console
 * error, uncaught exception and failed load. Nothing is downloaded: Debian's {@code chromium} package must be
 * installed ({@code .ci/run} installs it).
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of(System.getenv().getOrDefault("TUSK_CHROMIUM", "/usr/bin/chromium"));
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium with a fresh profile in {@code profile} and connects to it. */
    static Chromium launch(Path profile) throws Exception {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("the console tests drive the system's Chromium, and there is none at "
                    + EXECUTABLE + ": install it (apt-get install chromium; .ci/run does) or set TUSK_CHROMIUM");
        }
        Files.createDirectories(profile);
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank").redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread.ofVirtual().name("chromium-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on") && at >= 0) {
                        endpoint.complete(URI.create(line.substring(at).trim()));
                    }
                }
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
            endpoint.completeExceptionally(new IOException("Chromium exited: " + String.join(" | ", lines)));
        });
        URI uri;
        try {
            uri = endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools endpoint in " + TIMEOUT + ": "
                    + String.join(" | ", lines));
        }
        Listener listener = new Listener();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(uri, listener).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Chromium chromium = new Chromium(process, socket);
        listener.owner = chromium;
        chromium.output.addAll(lines);
        return chromium;
    }

    /** A new tab. */
    Page newPage() throws Exception {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .path("sessionId").asText();
        Page page = new Page(session);
        page.call("Page.enable", Map.of());
        page.call("Runtime.enable", Map.of());
        page.call("Log.enable", Map.of());
        return page;
    }

    private JsonNode call(String session, String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        JsonNode reply;
        try {
            reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + " got no answer from Chromium in " + TIMEOUT);
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
        } else {
            events.add(message);
        }
    }

    /** One tab: a DevTools session. */
    final class Page {
        private final String session;

        private Page(String session) {
            this.session = session;
        }

        JsonNode call(String method, Map<String, ?> params) throws Exception {
            return Chromium.this.call(session, method, params);
        }

        /** Loads {@code url} and waits for its load event (a change of the fragment only has none: no wait). */
        void navigate(String url) throws Exception {
            int before = events.size();
            JsonNode result = call("Page.navigate", Map.of("url", url));
            if (result.has("errorText")) {
                throw new IllegalStateException("Chromium could not load " + url + ": " + result.get("errorText"));
            }
            if (!result.has("loaderId")) {
                return; // same-document navigation
            }
            awaitEvent(before, e -> "Page.loadEventFired".equals(e.path("method").asText()), "the load of " + url);
        }

        /** Evaluates {@code expression} (awaiting a promise) and returns its value as JSON. */
        JsonNode evaluate(String expression) throws Exception {
            JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                    "returnByValue", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("the page threw while evaluating " + expression + ": "
                        + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** Polls {@code condition} (a JavaScript boolean expression) until it holds. */
        void waitFor(String condition, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the page did not reach `" + condition + "` within " + timeout);
                }
                Thread.sleep(200);
            }
        }

        /** A key press: Tab, Enter, ... */
        void press(String key, int keyCode) throws Exception {
            Map<String, Object> down = new java.util.HashMap<>(Map.of("type", "keyDown", "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
            if (key.equals("Enter")) {
                down.put("text", "\r");
            }
            call("Input.dispatchKeyEvent", down);
            call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
        }

        void type(String text) throws Exception {
            call("Input.insertText", Map.of("text", text));
        }

        /** Emulates a screen of {@code width} x {@code height} CSS pixels; {@code mobile} as a phone does. */
        void viewport(int width, int height, boolean mobile) throws Exception {
            call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", mobile));
        }

        /** A PNG of the whole page (not only the viewport), written to {@code file}. */
        void screenshot(Path file) throws Exception {
            JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        }

        /**
         * Console errors, uncaught exceptions and browser log errors (failed loads, blocked resources) of this tab
         * so far, as text.
         */
        List<String> errors() {
            List<String> out = new ArrayList<>();
            for (JsonNode e : events) {
                if (!session.equals(e.path("sessionId").asText())) {
                    continue;
                }
                JsonNode p = e.path("params");
                switch (e.path("method").asText()) {
                    case "Runtime.exceptionThrown" -> out.add("exception: " + p.path("exceptionDetails"));
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.path("type").asText();
                        if (type.equals("error") || type.equals("assert")) {
                            out.add("console." + type + ": " + p.path("args"));
                        }
                    }
                    case "Log.entryAdded" -> {
                        if (p.path("entry").path("level").asText().equals("error")) {
                            out.add("log: " + p.path("entry").path("text").asText() + " "
                                    + p.path("entry").path("url").asText());
                        }
                    }
                    default -> {
                    }
                }
            }
            return out;
        }

        private void awaitEvent(int from, Predicate<JsonNode> match, String what) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = from; i < events.size(); i++) {
                    JsonNode e = events.get(i);
                    if (session.equals(e.path("sessionId").asText()) && match.test(e)) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("Chromium did not report " + what + " within " + TIMEOUT);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser is killed below anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reassembles text frames into messages. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Chromium chromium = owner;
                if (chromium != null) {
                    chromium.received(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
