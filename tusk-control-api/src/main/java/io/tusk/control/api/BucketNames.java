package io.tusk.control.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * S3's rules for general purpose bucket names (so that virtual-host addressing and every S3 client take them): 3 to 63
 * of {@code a-z 0-9 . -}, starting and ending with a letter or digit, no {@code ..}, not shaped like an IPv4 address,
 * none of the prefixes and suffixes AWS reserves. The control plane and the S3 API check the same rules.
 */
public final class BucketNames {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final String[] RESERVED_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
    private static final String[] RESERVED_SUFFIXES = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};

    private BucketNames() {
    }

    /** What is wrong with {@code name} as a bucket name, or empty if it is a valid one. */
    public static Optional<String> problem(String name) {
        if (name == null || !SHAPE.matcher(name).matches()) {
            return Optional.of("a bucket name is 3 to 63 of a-z 0-9 . - starting and ending with a letter or digit");
        }
        if (name.contains("..")) {
            return Optional.of("a bucket name must not contain '..'");
        }
        if (IPV4.matcher(name).matches()) {
            return Optional.of("a bucket name must not look like an IP address");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return Optional.of("a bucket name must not start with '" + prefix + "'");
            }
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return Optional.of("a bucket name must not end with '" + suffix + "'");
            }
        }
        return Optional.empty();
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }
}
