package io.tusk.node.http;

import io.tusk.core.api.ErrorDomains;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;
import io.tusk.node.service.StorageService;
import io.tusk.node.shards.ShardManager;

import java.time.Duration;

/**
 * A storage node's Walrus REST API ({@link NodeRoutes}) served on the shared Tusk server stack (tusk-http: Jetty 12,
 * virtual threads, open CORS).
 */
public final class NodeHttpServer implements AutoCloseable {
    private final TuskHttpServer server;

    private NodeHttpServer(TuskHttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0 = any free port) and starts serving, with {@code metrics} at {@code /metrics} and
     * every request measured there.
     *
     * @param shards serves {@code POST /v1/migrate/sync_shard}; {@code null} answers it 503
     * @param maxRequestTime how long a handler may run (a confirmation may wait for a registration)
     */
    public static NodeHttpServer start(StorageService service, ShardManager shards, String host, int port,
                                       Duration maxRequestTime, ServerMetrics metrics) {
        HttpServerBuilder builder = HttpServerBuilder.create("node").host(host).port(port).domain(ErrorDomains.NODE)
                .requestTimeout(maxRequestTime).metrics(metrics);
        new NodeRoutes(service, shards).register(builder);
        return new NodeHttpServer(builder.start());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
