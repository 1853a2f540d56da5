package io.tusk.control.server;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A replica's snapshots in Ratis's state-machine directory: one directory per snapshot, {@code sm/snapshot.TERM_INDEX/},
 * holding a checkpoint of the control state at that log index (RocksDB files, hard links to the live state's), and a
 * {@value #COMPLETE} marker written last, so a directory without it (a crash while it was written) is ignored. Ratis
 * sends these files to a follower that needs them and puts them in the follower's {@code sm} directory the same way.
 */
final class CheckpointStorage implements StateMachineStorage {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    static final String COMPLETE = "tusk-checkpoint-complete";
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    private volatile Path directory;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        directory = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(directory);
        reload();
    }

    /** Reads the newest complete snapshot from disk again (after the leader installed one). */
    FileListSnapshotInfo reload() throws IOException {
        latest = null;
        for (Snapshot s : list()) {
            if (Files.exists(s.path().resolve(COMPLETE))) {
                latest = info(s);
            }
        }
        return latest;
    }

    /** Where the snapshot at {@code (term, index)} goes; it must not exist yet. */
    Path pathOf(TermIndex at) {
        return directory.resolve("snapshot." + at.getTerm() + "_" + at.getIndex());
    }

    /** Records a snapshot written to {@link #pathOf}{@code (at)}: marks it complete and makes it the latest. */
    FileListSnapshotInfo completed(TermIndex at) throws IOException {
        Path dir = pathOf(at);
        Files.write(dir.resolve(COMPLETE), new byte[0]);
        latest = info(new Snapshot(dir, at));
        return latest;
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        return latest;
    }

    /** The directory of the latest snapshot, or null. */
    Path latestDirectory() {
        FileListSnapshotInfo s = latest;
        return s == null ? null : pathOf(s.getTermIndex());
    }

    @Override
    public void format() {
        // nothing to prepare: snapshots are directories made when taken
    }

    /** Deletes all but the newest {@code retained} snapshots, and incomplete ones older than the latest. */
    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int retained = Math.max(1, policy.getNumSnapshotsRetained());
        List<Snapshot> all = list();
        FileListSnapshotInfo newest = latest;
        int kept = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            Snapshot s = all.get(i);
            boolean complete = Files.exists(s.path().resolve(COMPLETE));
            boolean older = newest != null && s.at().getIndex() < newest.getIndex();
            if (complete && kept < retained) {
                kept++;
            } else if (!complete && !older) {
                // being written, or newer than the latest: leave it
            } else {
                deleteTree(s.path());
            }
        }
    }

    private record Snapshot(Path path, TermIndex at) {
    }

    private List<Snapshot> list() throws IOException {
        List<Snapshot> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(new Snapshot(p, TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))));
                }
            }
        }
        found.sort(Comparator.comparingLong((Snapshot s) -> s.at().getIndex()));
        return found;
    }

    private static FileListSnapshotInfo info(Snapshot s) throws IOException {
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(s.path())) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                files.add(new FileInfo(p, null)); // Ratis digests the chunks it sends
            }
        }
        return new FileListSnapshotInfo(files, s.at());
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        LOG.debug("deleted {}", root);
    }
}
