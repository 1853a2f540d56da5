package io.tusk.s3;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the S3 API serves (docs/s3.md).
 *
 * @param host                  address to bind
 * @param port                  port, 0 for any free one
 * @param region                the region it answers as (GetBucketLocation, LocationConstraint); signatures made for
 *                              any region are accepted, as the region only salts the signing key
 * @param virtualHostDomains    host names under which {@code BUCKET.domain} addresses a bucket (virtual-host style);
 *                              any other host (an IP, {@code domain} itself) means path-style addressing
 * @param maxObjectBytes        largest object, multipart included
 * @param maxPutBytes           largest single PUT or part (S3: 5 GiB)
 * @param maxConcurrentRequests requests served at once; more are answered {@code SlowDown} (503)
 * @param maxConcurrentUploads  large bodies (over {@code smallObjectBytes}) stored at once, each holding up to two
 *                              encoded chunks in memory; more wait their turn
 * @param smallObjectBytes      bodies up to this are read into memory and packed with others into one commit's quilt
 * @param maxUploadsPerBucket   multipart uploads in progress per bucket
 * @param clockSkew             how far a request's signed time may be from the server's
 * @param epochs                epochs the blobs of new objects are stored for
 */
public record S3Config(String host, int port, String region, List<String> virtualHostDomains, long maxObjectBytes,
                       long maxPutBytes, int maxConcurrentRequests, int maxConcurrentUploads, long smallObjectBytes,
                       int maxUploadsPerBucket, Duration clockSkew, int epochs) {
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Config {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
        virtualHostDomains = List.copyOf(virtualHostDomains);
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (port < 0 || port > 65535 || maxObjectBytes < 1 || maxPutBytes < 1 || maxConcurrentRequests < 1
                || maxConcurrentUploads < 1 || smallObjectBytes < 0 || maxUploadsPerBucket < 1 || epochs < 1) {
            throw new IllegalArgumentException("bad S3 configuration: " + new S3Config.Printable(port, maxObjectBytes,
                    maxPutBytes, maxConcurrentRequests, maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, epochs));
        }
    }

    private record Printable(int port, long maxObjectBytes, long maxPutBytes, int maxConcurrentRequests,
                             int maxConcurrentUploads, long smallObjectBytes, int maxUploadsPerBucket, int epochs) {
    }

    public static S3Config defaults() {
        return new S3Config("127.0.0.1", 0, DEFAULT_REGION, List.of("localhost"), 64L << 30, 5L << 30, 256, 4,
                1L << 20, 10_000, Duration.ofMinutes(15), 5);
    }

    public S3Config withHost(String value) {
        return new S3Config(value, port, region, virtualHostDomains, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withPort(int value) {
        return new S3Config(host, value, region, virtualHostDomains, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withRegion(String value) {
        return new S3Config(host, port, value, virtualHostDomains, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withVirtualHostDomains(List<String> value) {
        return new S3Config(host, port, region, value, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withLimits(long maxObject, long maxPut, int maxUploads) {
        return new S3Config(host, port, region, virtualHostDomains, maxObject, maxPut, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploads, clockSkew, epochs);
    }

    public S3Config withConcurrency(int requests, int uploads) {
        return new S3Config(host, port, region, virtualHostDomains, maxObjectBytes, maxPutBytes, requests, uploads,
                smallObjectBytes, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withSmallObjectBytes(long value) {
        return new S3Config(host, port, region, virtualHostDomains, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, value, maxUploadsPerBucket, clockSkew, epochs);
    }

    public S3Config withEpochs(int value) {
        return new S3Config(host, port, region, virtualHostDomains, maxObjectBytes, maxPutBytes, maxConcurrentRequests,
                maxConcurrentUploads, smallObjectBytes, maxUploadsPerBucket, clockSkew, value);
    }
}
