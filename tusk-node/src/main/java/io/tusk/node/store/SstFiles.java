package io.tusk.node.store;

import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.Status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Checks the block checksums of a database's live SST files, each read once from disk by its own reader (not through
 * the database, whose background work would stop at the first corrupt block it met).
 */
final class SstFiles {
    /** A live SST file that failed its checksums. */
    record Corrupt(String family, Path file, String message) {
    }

    private SstFiles() {
    }

    /** The live SST files of the families {@code families} accepts that fail their checksums. */
    static List<Corrupt> verify(RocksDB db, Predicate<String> families) {
        List<Corrupt> out = new ArrayList<>();
        try (Options options = new Options()) {
            for (LiveFileMetaData file : db.getLiveFilesMetaData()) {
                String family = new String(file.columnFamilyName(), StandardCharsets.UTF_8);
                if (!families.test(family)) {
                    continue;
                }
                Path path = Path.of(file.path(), file.fileName());
                try (SstFileReader reader = new SstFileReader(options)) {
                    reader.open(path.toString());
                    reader.verifyChecksum();
                } catch (RocksDBException e) {
                    // A file compacted away since the listing is not corrupt; only a failed checksum or parse is.
                    if (isCorruption(e)) {
                        out.add(new Corrupt(family, path, e.getMessage()));
                    }
                }
            }
        }
        return out;
    }

    /** Whether RocksDB reports data that failed a checksum or does not parse (as opposed to I/O or other errors). */
    static boolean isCorruption(RocksDBException e) {
        Status status = e.getStatus();
        return status != null && status.getCode() == Status.Code.Corruption;
    }
}
