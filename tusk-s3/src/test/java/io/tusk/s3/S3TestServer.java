package io.tusk.s3;

import io.tusk.testkit.TestCluster;
import org.apache.http.conn.DnsResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * A real in-process Tusk network (4 nodes, 40 shards: chunks of 16 MiB, so 5 and 8 MiB parts are one blob each) with
 * the S3 API in front of it, and AWS SDK clients for its account. Shared by a test class; close it after.
 */
final class S3TestServer implements AutoCloseable {
    final TestCluster cluster;
    final S3Server server;
    final Credentials credentials;

    private S3TestServer(TestCluster cluster, S3Server server, Credentials credentials) {
        this.cluster = cluster;
        this.server = server;
        this.credentials = credentials;
    }

    static S3TestServer start() throws Exception {
        return start(S3Config.defaults());
    }

    static S3TestServer start(S3Config config) throws Exception {
        TestCluster cluster = TestCluster.start(4, 40);
        try {
            S3Account account = S3Account.of(cluster.client());
            S3Server server = S3Server.start(config, List.of(account));
            return new S3TestServer(cluster, server, account.credentials());
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A path-style client, as for an IP endpoint. */
    S3Client client() {
        return client(credentials, true);
    }

    // The Apache 4 client is deprecated in SDK 2.57 (for its Apache 5 one), but it is the one that takes a DnsResolver,
    // which virtual-host addressing (BUCKET.localhost) needs without touching the system's resolver.
    @SuppressWarnings("deprecation")
    S3Client client(Credentials as, boolean pathStyle) {
        String host = pathStyle ? "127.0.0.1" : "localhost";
        return S3Client.builder()
                .endpointOverride(URI.create("http://" + host + ":" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(as.accessKeyId(), as.secretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                .httpClient(ApacheHttpClient.builder().dnsResolver(LOOPBACK).socketTimeout(Duration.ofMinutes(5)).build())
                .build();
    }

    S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** Resolves BUCKET.localhost (virtual-host addressing) to the loopback without touching the system's resolver. */
    private static final DnsResolver LOOPBACK = host -> {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return new InetAddress[]{InetAddress.getLoopbackAddress()};
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw e;
        }
    };

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            cluster.close();
        }
    }
}
