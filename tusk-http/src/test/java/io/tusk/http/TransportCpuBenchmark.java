package io.tusk.http;

import io.tusk.core.api.ErrorDomains;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * CPU per request of the two client transports Tusk could use, the JDK's {@code HttpClient} and {@link HttpTransport}
 * (Jetty's client), against a {@link TuskHttpServer} in the same JVM: small GETs (a sliver of a 1 KiB blob is about
 * 150 bytes) and PUTs, many at once, as the SDK sends them. The figure is the process's CPU time (client and server)
 * per request, so a busy machine changes it less than wall time. Not a unit test: run it with
 * <pre>
 * mvn -q -B -pl tusk-http -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *   -Dmdep.includeScope=test
 * java -cp tusk-http/target/test-classes:tusk-http/target/classes:$(cat tusk-http/target/cp.txt) \
 *   io.tusk.http.TransportCpuBenchmark [requests=20000] [concurrency=16] [bodyBytes=150]
 * </pre>
 */
public final class TransportCpuBenchmark {
    private TransportCpuBenchmark() {
    }

    @FunctionalInterface
    private interface Call {
        void send(String path, boolean put) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        byte[] payload = new byte[args.length > 2 ? Integer.parseInt(args[2]) : 150];
        try (TuskHttpServer server = HttpServerBuilder.create("bench").domain(ErrorDomains.NODE)
                .get("/v1/x/{id}", request -> Response.bcs(payload))
                .put("/v1/x/{id}", request -> {
                    request.body();
                    return Response.success(201, "stored");
                })
                .start();
             HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpTransport jetty = HttpTransport.create("bench-client")) {
            URI base = server.uri();
            Duration timeout = Duration.ofSeconds(30);
            Call jdkCall = (path, put) -> jdk.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .method(put ? "PUT" : "GET", put ? HttpRequest.BodyPublishers.ofByteArray(payload)
                            : HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            Call jettyCall = (path, put) -> jetty.send(new HttpTransport.Exchange(put ? "PUT" : "GET",
                    base.resolve(path), List.of(), Response.OCTET_STREAM,
                    put ? new ByteBuffer[] {ByteBuffer.wrap(payload)} : null, timeout, 1 << 20));
            for (int round = 1; round <= 3; round++) { // the first round warms the JIT
                for (String name : List.of("jdk", "jetty")) {
                    Call call = name.equals("jdk") ? jdkCall : jettyCall;
                    for (boolean put : new boolean[] {false, true}) {
                        double cpu = run(call, put, requests, concurrency);
                        System.out.printf("round %d %-5s %-3s %6.1f us CPU per request%n", round, name,
                                put ? "PUT" : "GET", cpu);
                    }
                }
            }
        }
    }

    /** Sends {@code requests} requests, {@code concurrency} at a time; returns the process CPU microseconds per request. */
    private static double run(Call call, boolean put, int requests, int concurrency) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Semaphore slots = new Semaphore(concurrency);
        long cpu = os.getProcessCpuTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                slots.acquire();
                String path = "/v1/x/" + i;
                executor.submit(() -> {
                    try {
                        call.send(path, put);
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        return (os.getProcessCpuTime() - cpu) / 1e3 / requests;
    }
}
