package io.tusk.spaces;

import io.tusk.testkit.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;

/** A real in-process cluster (4 nodes, 16 shards) and a spaces client on it, shared by one test class's tests. */
abstract class SpacesOnClusterTest {
    static TestCluster cluster;
    static Spaces spaces;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(4, 16);
        spaces = new Spaces(cluster.client());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
