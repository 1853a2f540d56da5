package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadataWithId;

/**
 * A {@link BlobEncoding} that holds no sliver: systematic slivers are read from the blob's source (primary sliver
 * {@code r} is message row {@code r}, secondary sliver {@code c < s} gathers symbol {@code c} of the {@code p} rows),
 * repair slivers from the tables the encoder filled.
 */
final class TableEncoding implements BlobEncoding {
    private final EncodingConfig config;
    private final BlobMetadataWithId metadata;
    private final MessageRows rows;
    private final int symbolSize;
    /** Secondary slivers {@code s..n-1}, slot {@code c - s}. */
    private final SliverTable repairColumns;
    /** Primary slivers {@code p..n-1}, slot {@code r - p}. */
    private final SliverTable repairRows;

    TableEncoding(EncodingConfig config, BlobMetadataWithId metadata, MessageRows rows, int symbolSize,
                  SliverTable repairColumns, SliverTable repairRows) {
        this.config = config;
        this.metadata = metadata;
        this.rows = rows;
        this.symbolSize = symbolSize;
        this.repairColumns = repairColumns;
        this.repairRows = repairRows;
    }

    @Override
    public BlobMetadataWithId metadata() {
        return metadata;
    }

    @Override
    public int shardCount() {
        return config.shardCount();
    }

    @Override
    public Sliver sliver(int pairIndex, SliverType type) {
        int n = config.shardCount();
        if (pairIndex < 0 || pairIndex >= n) {
            throw new IndexOutOfBoundsException("pair " + pairIndex + " of " + n);
        }
        int index = type == SliverType.PRIMARY ? pairIndex : n - 1 - pairIndex;
        byte[] data = type == SliverType.PRIMARY ? primary(index) : secondary(index);
        return new Sliver(type, index, symbolSize, data, false);
    }

    private byte[] primary(int r) {
        int p = config.primarySourceSymbols();
        if (r < p) {
            return rows.copy(r);
        }
        byte[] data = new byte[repairRows.sliverBytes()];
        repairRows.read(r - p, 0, data, 0, data.length);
        return data;
    }

    private byte[] secondary(int c) {
        int p = config.primarySourceSymbols();
        int s = config.secondarySourceSymbols();
        byte[] data = new byte[p * symbolSize];
        if (c >= s) {
            repairColumns.read(c - s, 0, data, 0, data.length);
        } else {
            for (int r = 0; r < p; r++) {
                rows.read(r, c * symbolSize, symbolSize, data, r * symbolSize);
            }
        }
        return data;
    }

    @Override
    public int sliverBytes(SliverType type) {
        return config.symbolsPerSliver(type) * symbolSize;
    }

    @Override
    public boolean inMemory() {
        return false;
    }

    @Override
    public void close() {
        try (repairColumns; repairRows) {
            // both closed, each even if the other fails
        }
    }
}
