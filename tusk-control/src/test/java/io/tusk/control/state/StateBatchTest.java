package io.tusk.control.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's batch reads its own writes: gets and prefix scans merge the pending changes over the committed state
 * (a real RocksDB), and nothing is visible outside until the batch is written. Randomized against a sorted map, seed
 * printed.
 */
class StateBatchTest {
    @TempDir
    Path dir;

    @Test
    void shouldMergePendingChangesOverCommittedOnesInKeyOrder() throws Exception {
        long seed = Long.getLong("tusk.test.seed", new Random().nextLong());
        System.out.println("StateBatchTest seed " + seed);
        Random random = new Random(seed);
        TreeMap<String, String> model = new TreeMap<>();
        try (StateStore store = StateStore.open(dir, StateOptions.defaults())) {
            for (int round = 0; round < 30; round++) {
                TreeMap<String, String> before = new TreeMap<>(model);
                try (StateBatch batch = new StateBatch(store)) {
                    for (int i = 0; i < 20; i++) {
                        String key = "t/" + (char) ('a' + random.nextInt(6)) + random.nextInt(20);
                        if (random.nextInt(3) == 0) {
                            batch.delete(bytes(key));
                            model.remove(key);
                        } else {
                            String value = "v" + random.nextInt(1000);
                            batch.put(bytes(key), bytes(value));
                            model.put(key, value);
                        }
                    }
                    // the batch sees its own changes; the store does not yet
                    String prefix = "t/" + (char) ('a' + random.nextInt(6));
                    assertThat(scan(batch, prefix)).as("seed %d", seed).isEqualTo(expected(model, prefix));
                    assertThat(scanStore(store, prefix)).as("seed %d", seed).isEqualTo(expected(before, prefix));
                    String probe = prefix + random.nextInt(20);
                    assertThat(text(batch.get(bytes(probe)))).isEqualTo(model.get(probe));
                    if (random.nextInt(4) == 0) {
                        model = before; // dropped: as if refused
                    } else {
                        batch.commit();
                    }
                }
                assertThat(scanStore(store, "t/")).as("seed %d", seed).isEqualTo(expected(model, "t/"));
            }
        }
    }

    /**
     * An entry of several commands in one batch: each command starts at a mark; a refused one is undone to its mark
     * (the batch reads and writes as if it never ran), the commands before it stay. Randomized against a sorted map.
     */
    @Test
    void shouldUndoOnlyTheRefusedCommandsOfAnEntry() throws Exception {
        long seed = Long.getLong("tusk.test.seed", new Random().nextLong());
        System.out.println("StateBatchTest entry seed " + seed);
        Random random = new Random(seed);
        TreeMap<String, String> model = new TreeMap<>();
        try (StateStore store = StateStore.open(dir, StateOptions.defaults())) {
            for (int entry = 0; entry < 10; entry++) {
                try (StateBatch batch = new StateBatch(store)) {
                    for (int command = 0; command < 8; command++) {
                        batch.mark();
                        TreeMap<String, String> before = new TreeMap<>(model);
                        for (int i = 0; i < 1 + random.nextInt(6); i++) {
                            String key = "t/" + (char) ('a' + random.nextInt(3)) + random.nextInt(8);
                            if (random.nextInt(3) == 0) {
                                batch.delete(bytes(key));
                                model.remove(key);
                            } else {
                                String value = "v" + random.nextInt(1000);
                                batch.put(bytes(key), bytes(value));
                                model.put(key, value);
                            }
                        }
                        if (random.nextInt(3) == 0) {
                            batch.undoToMark();
                            model = before;
                        }
                        assertThat(scan(batch, "t/")).as("seed %d", seed).isEqualTo(expected(model, "t/"));
                    }
                    batch.commit();
                }
                assertThat(scanStore(store, "t/")).as("seed %d", seed).isEqualTo(expected(model, "t/"));
            }
        }
    }

    @Test
    void shouldStopAScanWhenTheVisitorSaysSo() throws Exception {
        try (StateStore store = StateStore.open(dir, StateOptions.defaults())) {
            try (StateBatch batch = new StateBatch(store)) {
                for (int i = 0; i < 10; i++) {
                    batch.put(bytes("t/" + i), bytes("c" + i));
                }
                batch.commit();
            }
            try (StateBatch batch = new StateBatch(store)) {
                batch.put(bytes("t/05"), bytes("p"));
                List<String> seen = new ArrayList<>();
                batch.scan(bytes("t/"), bytes("t/"), (k, v) -> {
                    seen.add(text(k));
                    return seen.size() < 7;
                });
                assertThat(seen).containsExactly("t/0", "t/05", "t/1", "t/2", "t/3", "t/4", "t/5");
            }
        }
    }

    private static List<String> scan(StateBatch batch, String prefix) {
        List<String> out = new ArrayList<>();
        batch.scan(bytes(prefix), bytes(prefix), (k, v) -> out.add(text(k) + "=" + text(v)));
        return out;
    }

    private static List<String> scanStore(StateStore store, String prefix) {
        List<String> out = new ArrayList<>();
        store.scan(bytes(prefix), bytes(prefix), (k, v) -> out.add(text(k) + "=" + text(v)));
        return out;
    }

    private static List<String> expected(TreeMap<String, String> model, String prefix) {
        return model.subMap(prefix, true, prefix + Character.MAX_VALUE, false).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
