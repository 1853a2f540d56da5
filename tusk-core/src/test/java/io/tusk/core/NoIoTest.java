package io.tusk.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tusk-core does no I/O (architecture.md): no class of it refers to the network ({@code java.net}), the file system
 * ({@code java.nio.file}) or RocksDB. Checked on the compiled classes, whose constant pools name every class a class
 * uses (as {@code java/net/URI} in a class entry or {@code Ljava/net/URI;} in a descriptor), so fully qualified uses
 * are caught as well as imports.
 */
class NoIoTest {
    private static final List<String> FORBIDDEN = List.of("java/net/", "java/nio/file/", "org/rocksdb/");

    @Test
    void shouldNotReferToTheNetworkTheFileSystemOrRocksDb() throws IOException, URISyntaxException {
        Path classes = Path.of(Bft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                checked++;
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String forbidden : FORBIDDEN) {
                    if (bytes.contains(forbidden)) {
                        offenders.add(classes.relativize(file) + " refers to " + forbidden);
                    }
                }
            }
        }
        assertThat(checked).as("classes checked in " + classes).isGreaterThan(100);
        assertThat(offenders).isEmpty();
    }
}
