package io.tusk.client;

import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.testkit.LocalCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Scratch (not committed): where a cold 1 KiB read's time goes. */
public class ReadProfileScratch {
    public static void main(String[] args) throws Exception {
        int blobs = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("tusk-read-profile");
        try (LocalCluster cluster = LocalCluster.start(dir, 4, 100, 0, 0); TuskClient client = cluster.client()) {
            Random random = new Random(1);
            List<BlobId> ids = new ArrayList<>();
            for (int i = 0; i < blobs * 2; i++) {
                byte[] blob = new byte[1024];
                random.nextBytes(blob);
                ids.add(BlobId.parse(client.store(blob, StoreOptions.defaults()).blobId()));
            }
            long[][] t = new long[5][blobs];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < blobs; i++) {
                    BlobId id = ids.get(round * blobs + i);
                    long a = System.nanoTime();
                    client.control().blob(id);
                    long b = System.nanoTime();
                    Committee committee = client.committee();
                    EncodingConfig enc = new EncodingConfig(committee.shardCount());
                    ReadOperation read = new ReadOperation(client, committee, enc, id);
                    BlobMetadataWithId md = read.metadata();
                    long c = System.nanoTime();
                    List<Sliver> slivers = read.primarySlivers(md);
                    long d = System.nanoTime();
                    new BlobDecoder(enc).decode(md, slivers, ConsistencyCheck.DEFAULT);
                    long e = System.nanoTime();
                    client.read(ids.get(i));
                    long f = System.nanoTime();
                    t[0][i] = b - a; t[1][i] = c - b; t[2][i] = d - c; t[3][i] = e - d; t[4][i] = f - e;
                }
            }
            String[] names = {"status", "metadata", "slivers", "decode", "whole read"};
            for (int k = 0; k < 5; k++) {
                long[] s = t[k].clone();
                Arrays.sort(s);
                System.out.printf("%-10s p50 %.3f ms p90 %.3f ms%n", names[k], s[s.length / 2] / 1e6, s[s.length * 9 / 10] / 1e6);
            }
        }
    }
}
