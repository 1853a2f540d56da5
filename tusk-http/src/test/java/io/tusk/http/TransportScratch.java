package io.tusk.http;

import io.tusk.core.api.ErrorDomains;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Scratch: CPU per request of the JDK client vs Jetty's, against a TuskHttpServer in the same JVM. */
public class TransportScratch {
    interface Client { byte[] get(String path) throws Exception; byte[] put(String path, byte[] body) throws Exception; }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        byte[] payload = new byte[size];
        TuskHttpServer server = HttpServerBuilder.create("bench").domain(ErrorDomains.NODE)
                .get("/v1/x/{id}", r -> Response.bcs(payload))
                .put("/v1/x/{id}", RouteOptions.maxBody(1 << 24), r -> { r.body(); return Response.success(201, "ok"); })
                .start();
        URI base = server.uri();
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        Client jdkClient = new Client() {
            public byte[] get(String p) throws Exception { return jdk.send(HttpRequest.newBuilder(base.resolve(p)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()).body(); }
            public byte[] put(String p, byte[] b) throws Exception { return jdk.send(HttpRequest.newBuilder(base.resolve(p)).timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(b)).build(), HttpResponse.BodyHandlers.ofByteArray()).body(); }
        };
        HttpClient jetty = new HttpClient();
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("jetty-client");
        if (args.length > 3 && args[3].equals("vt")) pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        jetty.setExecutor(pool);
        jetty.setMaxConnectionsPerDestination(256);
        jetty.start();
        Client jettyClient = new Client() {
            public byte[] get(String p) throws Exception { ContentResponse r = jetty.newRequest(base.resolve(p)).timeout(30, TimeUnit.SECONDS).send(); return r.getContent(); }
            public byte[] put(String p, byte[] b) throws Exception { return jetty.newRequest(base.resolve(p)).method("PUT").body(new BytesRequestContent("application/octet-stream", b)).timeout(30, TimeUnit.SECONDS).send().getContent(); }
        };
        for (int round = 0; round < 3; round++) {
            for (String name : new String[] {"jdk", "jetty"}) {
                Client c = name.equals("jdk") ? jdkClient : jettyClient;
                run(name + " GET", c, false, requests, concurrency, payload);
                run(name + " PUT", c, true, requests, concurrency, payload);
            }
        }
        jetty.stop();
        jdk.close();
        server.close();
    }

    static void run(String name, Client c, boolean put, int requests, int concurrency, byte[] payload) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Semaphore permits = new Semaphore(concurrency);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                permits.acquire();
                int k = i;
                ex.submit(() -> {
                    try {
                        if (put) c.put("/v1/x/" + k, payload); else c.get("/v1/x/" + k);
                    } catch (Exception e) {
                        e.printStackTrace();
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - t0;
        System.out.printf("%-10s %6d req: %6.1f us CPU/req, %6.1f us wall/req%n", name, requests, cpu / 1e3 / requests, wall / 1e3 / requests);
    }
}
