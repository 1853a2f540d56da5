package io.tusk.bench;

import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.control.state.Precheck;
import io.tusk.control.state.StateOptions;
import io.tusk.core.Bft;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.EncodingType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control state under load, driven directly (no HTTP, no replication, no slivers): how it grows to millions of
 * registered blobs in a bounded heap, what a checkpoint and a restart cost at that size, and how many commands one
 * replica applies per second. Every command carries real signatures: Ed25519 on each envelope, and on each
 * {@code certifyBlob} a BLS certificate aggregated from a quorum of a real committee. Commands are signed ahead of
 * each measured step (untimed), so signing is not measured; checking the signatures is.
 *
 * <p>Commands are applied as a replica applies log entries: {@code --entry} commands per entry (what a leader groups
 * from concurrent submissions, at most 256), one RocksDB batch per entry.
 *
 * <p>Steps: (1) fund the senders; (2) register {@code --blobs} blobs (the next chunk signed and prechecked on the pool
 * while this one is applied), reporting every {@code --report} the apply rate, heap after a GC, size on disk and the
 * time of a checkpoint; (3) throughput on the full state: register+certify pairs, first applied alone (prechecks done
 * before), then as a replica runs them: prechecks on {@code --threads} threads feeding the one apply thread, with the
 * latency of each command from its precheck to its outcome; (4) restart: close, open the directory again and replay a
 * tail of {@code --tail} commands as a replica replays its log (prechecks ahead on the pool); (5) a last checkpoint.
 *
 * <p>Usage ({@code docs/control-plane.md}): {@code java -Xmx1g --enable-native-access=ALL-UNNAMED -cp
 * "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.ControlStateBenchmark --dir DIR
 * [--blobs 1000000] [--report 1000000] [--window 20000] [--tail 100000] [--senders 1000] [--nodes 10]
 * [--shards 1000] [--threads 2] [--entry 256] [--keep]}
 */
public final class ControlStateBenchmark {
    private static final long FUNDS = 1_000_000_000_000_000L;
    private static final int CHUNK = 20_000;
    private static final int IN_FLIGHT = 64;
    /** Commands prechecked together ({@link ControlState#precheckAll}): one multi-pairing for their certificates. */
    private static final int BATCH = 32;

    private final Path dir;
    private final int shards;
    private final int threads;
    /** Commands per log entry, as a leader groups concurrent submissions (RaftReplica.COMMANDS_PER_ENTRY). */
    private final int entry;
    private final List<BlsKeyPair> nodeKeys = new ArrayList<>();
    private final Ed25519KeyPair admin = account(0);
    private final Ed25519KeyPair[] senders;
    private final long[] nonces;
    private final GenesisConfig genesis;
    private final String chainId;
    private final ExecutorService pool;
    private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    /** CPU time spent in prechecks on the pool since the last reset, nanoseconds. */
    private final AtomicLong precheckCpu = new AtomicLong();
    private ControlState state;
    private long index;
    private long blobSeed;
    private int nextSender;

    private ControlStateBenchmark(Path dir, int nodes, int shards, int senders, int threads, int entry) {
        this.dir = dir;
        this.entry = entry;
        this.shards = shards;
        this.threads = threads;
        List<GenesisConfig.GenesisNode> genesisNodes = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            BlsKeyPair key = blsKey(i);
            nodeKeys.add(key);
            Ed25519KeyPair owner = account(100_000 + i);
            byte[] pop = key.sign(new ProofOfPossessionMessage(ControlState.GENESIS_POP_EPOCH,
                    owner.publicKey().address(), key.publicKey()).toBcs()).bytes();
            genesisNodes.add(new GenesisConfig.GenesisNode("node-" + i, "10.0.0." + (i + 1) + ":9185",
                    owner.publicKey().address().toString(), key.publicKey().bytes(), pop, 10));
        }
        this.genesis = GenesisConfig.devnet(admin.publicKey().address().toString(), 1_700_000_000_000L, genesisNodes)
                .withShardCount(shards);
        this.chainId = io.tusk.control.state.ChainId.of(genesis);
        this.senders = new Ed25519KeyPair[senders];
        this.nonces = new long[senders];
        for (int i = 0; i < senders; i++) {
            this.senders[i] = account(1 + i);
        }
        this.pool = Executors.newFixedThreadPool(threads);
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        long blobs = 1_000_000;
        long report = 1_000_000;
        int window = 20_000;
        int tail = 100_000;
        int entry = 256;
        int senders = 1000;
        int nodes = 10;
        int shards = 1000;
        int threads = 2;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--blobs" -> blobs = Long.parseLong(args[++i]);
                case "--report" -> report = Long.parseLong(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--tail" -> tail = Integer.parseInt(args[++i]);
                case "--entry" -> entry = Integer.parseInt(args[++i]);
                case "--senders" -> senders = Integer.parseInt(args[++i]);
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir DIR is required (the state goes to DIR/state; DIR must be empty)");
        }
        if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
            throw new IllegalArgumentException(dir + " is not empty");
        }
        ControlStateBenchmark bench = new ControlStateBenchmark(dir, nodes, shards, senders, threads, entry);
        try {
            bench.run(blobs, report, window, tail);
        } finally {
            bench.pool.shutdownNow();
            if (!keep) {
                deleteTree(dir);
            }
        }
    }

    private void run(long blobs, long report, int window, int tail) throws Exception {
        System.out.printf("control state benchmark: %,d blobs, %d senders, %d nodes, %d shards, %d precheck threads, "
                        + "max heap %d MiB, %d cores, state in %s%n", blobs, senders.length, nodeKeys.size(), shards,
                threads, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), dir);
        state = ControlState.open(dir.resolve("state"), genesis, StateOptions.defaults());
        for (Ed25519KeyPair sender : senders) {
            applyOrFail(state.apply(sign(sender, new Command.Faucet(FUNDS)), index++));
        }

        // (2) growth
        System.out.println();
        System.out.println("| registered blobs | apply in entries of " + entry + " (registrations of the last step) "
                + "| precheck (same) | heap after GC | peak heap | on disk | checkpoint | load average |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        long registered = 0;
        long stepApplyNanos = 0;
        long stepApplyCpu = 0;
        long stepCommands = 0;
        precheckCpu.set(0);
        // The next chunk is signed and prechecked on the pool while this one is applied, as a replica prechecks ahead
        // of its apply thread.
        Future<List<Precheck>> nextChunk = chunkAhead((int) Math.min(CHUNK, blobs));
        while (registered < blobs) {
            List<Precheck> checked = nextChunk.get();
            int n = checked.size();
            long following = Math.min(CHUNK, blobs - registered - n);
            nextChunk = following > 0 ? chunkAhead((int) following) : null;
            long start = System.nanoTime();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            applyInEntries(checked);
            stepApplyCpu += cpu.getCurrentThreadCpuTime() - cpuStart;
            stepApplyNanos += System.nanoTime() - start;
            stepCommands += n;
            registered += n;
            if (registered % report == 0 || registered == blobs) {
                long checkpointMillis = checkpointMillis();
                System.out.printf("| %,d | %,.0f/s wall, %.1f us CPU each | %.1f us CPU each, on %d threads "
                                + "| %s | %s | %s | %,d ms | %s |%n",
                        registered, stepCommands / (stepApplyNanos / 1e9), stepApplyCpu / 1e3 / stepCommands,
                        precheckCpu.get() / 1e3 / stepCommands, threads,
                        mib(heapAfterGc()), mib(peakHeap()), mib(sizeOnDisk(dir.resolve("state"))), checkpointMillis,
                        load());
                stepApplyNanos = 0;
                stepApplyCpu = 0;
                stepCommands = 0;
                precheckCpu.set(0);
            }
        }

        // (3) throughput: register + certify pairs on the full state
        System.out.println();
        List<SignedCommand> warm = signAll(pairs(Math.min(window, 2000)));
        for (Precheck p : precheckAll(warm)) {
            applyOrFail(state.apply(p, index++));
        }
        List<SignedCommand> alone = signAll(pairs(window));
        precheckCpu.set(0);
        List<Precheck> checkedAlone = precheckAll(alone);
        double precheckCpuEach = precheckCpu.get() / 1e3 / checkedAlone.size();
        long[] applyLatency = new long[checkedAlone.size()];
        long start = System.nanoTime();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        for (int from = 0; from < checkedAlone.size(); from += entry) {
            long t = System.nanoTime();
            List<CommandResult> results = state.apply(checkedAlone.subList(from, Math.min(checkedAlone.size(),
                    from + entry)), index++, 1);
            long took = System.nanoTime() - t;
            for (int k = 0; k < results.size(); k++) {
                applyOrFail(results.get(k));
                applyLatency[from + k] = took; // a command's outcome comes with its entry's
            }
        }
        double applyCpuEach = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e3 / checkedAlone.size();
        double aloneRate = checkedAlone.size() / ((System.nanoTime() - start) / 1e9);
        System.out.printf("register + certify, %,d commands: precheck %.1f us CPU each (Ed25519, and BLS in batches of "
                        + BATCH + "), apply %.1f us CPU each; apply alone (prechecked before, in entries of " + entry + ") %,.0f commands/s wall, entry latency p50 %.3f ms, p99 %.3f ms "
                        + "(load %s)%n", checkedAlone.size(), precheckCpuEach, applyCpuEach, aloneRate,
                percentile(applyLatency, 50), percentile(applyLatency, 99), load());
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("CPU-bound ceiling of one replica on %d otherwise idle cores: %,.0f commands/s (apply on one "
                        + "thread, prechecks on the others)%n", cores,
                1e6 / Math.max(applyCpuEach, (applyCpuEach + precheckCpuEach) / cores));

        pipeline(signAll(pairs(window)), false);
        pipeline(signAll(pairs(window)), true);

        // (4) restart: close, open, replay a tail of the log as a replica does: entries of --entry commands, their
        // prechecks started ahead on the pool (ControlStateMachine.readAhead), applied in order on this thread
        List<SignedCommand> tailCommands = signAll(registrations(tail));
        state.close();
        long openStart = System.nanoTime();
        state = ControlState.open(dir.resolve("state"), genesis, StateOptions.defaults());
        long opened = System.nanoTime();
        List<Future<List<Precheck>>> ahead = new ArrayList<>();
        for (int from = 0; from < tailCommands.size(); from += entry) {
            List<SignedCommand> one = tailCommands.subList(from, Math.min(tailCommands.size(), from + entry));
            ahead.add(pool.submit(() -> state.precheckAll(one)));
        }
        for (Future<List<Precheck>> f : ahead) {
            state.apply(f.get(), index++, 1).forEach(ControlStateBenchmark::applyOrFail);
        }
        long replayed = System.nanoTime();
        System.out.printf("restart: open %,d ms, then a tail of %,d commands in entries of %d (prechecks ahead on %d "
                        + "threads, apply on one) %,d ms: %,d ms in all (load %s)%n", (opened - openStart) / 1_000_000,
                tail, entry, threads, (replayed - opened) / 1_000_000, (replayed - openStart) / 1_000_000, load());

        // (5) a checkpoint at the final size
        System.out.printf("checkpoint at %,d blobs, %,d events: %,d ms; state on disk %s; heap after GC %s, peak %s%n",
                registered + tail + window + Math.min(window, 2000) / 2, state.eventCount(), checkpointMillis(),
                mib(sizeOnDisk(dir.resolve("state"))), mib(heapAfterGc()), mib(peakHeap()));
        state.close();
    }

    /**
     * Prechecks on {@code threads} threads feeding the one apply thread, as a replica runs, with at most
     * {@value #IN_FLIGHT} commands in flight (as many clients waiting); latency per command from its precheck's start
     * to its outcome.
     */
    private void pipeline(List<SignedCommand> commands, boolean batched) throws Exception {
        int batch = batched ? BATCH : 1;
        BlockingQueue<Future<List<Precheck>>> inOrder = new ArrayBlockingQueue<>(Math.max(1, IN_FLIGHT / batch));
        long[] started = new long[commands.size()];
        long[] latency = new long[commands.size()];
        long start = System.nanoTime();
        Thread feeder = Thread.ofPlatform().start(() -> {
            try {
                for (int from = 0; from < commands.size(); from += batch) {
                    int to = Math.min(commands.size(), from + batch);
                    long now = System.nanoTime();
                    for (int k = from; k < to; k++) {
                        started[k] = now;
                    }
                    inOrder.put(submitPrecheckBatch(commands.subList(from, to)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int done = 0;
        while (done < commands.size()) {
            // a batch of prechecks is applied as one entry, as a leader groups the commands it received together
            for (CommandResult result : state.apply(inOrder.take().get(), index++, 1)) {
                applyOrFail(result);
                latency[done] = System.nanoTime() - started[done];
                done++;
            }
        }
        feeder.join();
        double rate = commands.size() / ((System.nanoTime() - start) / 1e9);
        System.out.printf("one replica, prechecks %s on %d threads + one apply thread, %,d commands (register + "
                        + "certify), %d in flight: %,.0f commands/s wall; latency (precheck start to outcome) p50 %.3f ms, "
                        + "p99 %.3f ms (load %s)%n", batched ? "in batches of " + BATCH : "one by one", threads,
                commands.size(), IN_FLIGHT, rate, percentile(latency, 50), percentile(latency, 99), load());
    }

    /** Signs and prechecks {@code n} new registrations on the pool, while the caller goes on. */
    private Future<List<Precheck>> chunkAhead(int n) {
        List<Unsigned> unsigned = registrations(n);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return precheckAll(signAll(unsigned));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Applies prechecked commands in entries of {@link #entry}, one log index per entry. */
    private void applyInEntries(List<Precheck> checked) {
        for (int from = 0; from < checked.size(); from += entry) {
            state.apply(checked.subList(from, Math.min(checked.size(), from + entry)), index++, 1)
                    .forEach(ControlStateBenchmark::applyOrFail);
        }
    }

    /** Prechecks in batches of {@value #BATCH} on the pool ({@link ControlState#precheckAll}), CPU time counted. */
    private List<Precheck> precheckAll(List<SignedCommand> commands) throws Exception {
        List<Future<List<Precheck>>> futures = new ArrayList<>();
        for (int from = 0; from < commands.size(); from += BATCH) {
            futures.add(submitPrecheckBatch(commands.subList(from, Math.min(commands.size(), from + BATCH))));
        }
        List<Precheck> out = new ArrayList<>(commands.size());
        for (Future<List<Precheck>> f : futures) {
            for (Precheck p : f.get()) {
                if (!p.passed()) {
                    throw new IllegalStateException("precheck refused a benchmark command: " + p);
                }
                out.add(p);
            }
        }
        return out;
    }

    private Future<List<Precheck>> submitPrecheckBatch(List<SignedCommand> batch) {
        return pool.submit(() -> {
            long t = cpu.getCurrentThreadCpuTime();
            List<Precheck> p = state.precheckAll(batch);
            precheckCpu.addAndGet(cpu.getCurrentThreadCpuTime() - t);
            return p;
        });
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** An unsigned command and who sends it at which nonce; signed later, on the pool. */
    private record Unsigned(Ed25519KeyPair sender, long nonce, Command command) {}

    private List<Unsigned> registrations(int n) {
        List<Unsigned> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next(register(blobSeed++)));
        }
        return out;
    }

    /** {@code n} commands: a registration, then the certification of that object, and so on. */
    private List<Unsigned> pairs(int n) {
        List<Unsigned> out = new ArrayList<>(n);
        CommitteeInfo committee = state.committee();
        int epoch = state.epoch();
        for (int i = 0; i + 1 < n; i += 2) {
            long seed = blobSeed++;
            Unsigned registration = next(register(seed));
            out.add(registration);
            // Object IDs come from sender and nonce: the certification can be written before the registration runs.
            String objectId = objectId(registration.sender(), registration.nonce());
            Certificate certificate = certificate(committee, new StorageConfirmation(epoch, blobId(seed),
                    BlobPersistence.PERMANENT));
            out.add(next(new Command.CertifyBlob(objectId, certificate)));
        }
        return out;
    }

    private Unsigned next(Command command) {
        int s = nextSender;
        nextSender = (nextSender + 1) % senders.length;
        return new Unsigned(senders[s], nonces[s]++, command);
    }

    private List<SignedCommand> signAll(List<Unsigned> commands) throws Exception {
        int per = Math.max(1, commands.size() / (threads * 8));
        List<Future<List<SignedCommand>>> batches = new ArrayList<>();
        for (int from = 0; from < commands.size(); from += per) {
            List<Unsigned> part = commands.subList(from, Math.min(commands.size(), from + per));
            batches.add(pool.submit(() -> {
                List<SignedCommand> signed = new ArrayList<>(part.size());
                for (Unsigned u : part) {
                    signed.add(ControlClient.sign(chainId, u.command(), u.sender(), u.nonce()));
                }
                return signed;
            }));
        }
        List<SignedCommand> out = new ArrayList<>(commands.size());
        for (Future<List<SignedCommand>> b : batches) {
            out.addAll(b.get());
        }
        return out;
    }

    private SignedCommand sign(Ed25519KeyPair sender, Command command) {
        int s = Arrays.asList(senders).indexOf(sender);
        return ControlClient.sign(chainId, command, sender, nonces[s]++);
    }

    private Command.RegisterBlob register(long seed) {
        return new Command.RegisterBlob(blobId(seed).toString(), rootHash(seed), 1000, "RS2", 5, false);
    }

    private static byte[] rootHash(long seed) {
        byte[] root = new byte[32];
        ByteBuffer.wrap(root).putLong(seed).putLong(seed * 0x9E3779B97F4A7C15L);
        root[31] = 0x42;
        return root;
    }

    private static BlobId blobId(long seed) {
        return BlobId.derive(EncodingType.RS2, 1000, rootHash(seed));
    }

    /** A quorum of the committee (the first members holding more than 2f shards) signs the confirmation. */
    private Certificate certificate(CommitteeInfo committee, StorageConfirmation confirmation) {
        byte[] message = confirmation.toBcs();
        int needed = Bft.quorumThreshold(shards);
        List<Integer> signers = new ArrayList<>();
        List<BlsSignature> signatures = new ArrayList<>();
        int weight = 0;
        for (int i = 0; i < committee.members().size() && weight < needed; i++) {
            byte[] key = committee.members().get(i).blsPublicKey();
            BlsKeyPair pair = nodeKeys.stream().filter(k -> Arrays.equals(k.publicKey().bytes(), key)).findFirst()
                    .orElseThrow();
            signers.add(i);
            signatures.add(pair.sign(message));
            weight += committee.members().get(i).shards().size();
        }
        return new Certificate(signers, message, BlsSignature.aggregate(signatures).bytes());
    }

    /** The object a command creates first: Blake2b-256("tusk/object" | sender | nonce u64 LE | 0 u32 LE). */
    static String objectId(Ed25519KeyPair sender, long nonce) {
        byte[] fields = ByteBuffer.allocate(32 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .put(sender.publicKey().address().bytes()).putLong(nonce).putInt(0).array();
        return ObjectId.derive("tusk/object".getBytes(StandardCharsets.US_ASCII), fields).toString();
    }

    private static Ed25519KeyPair account(int seed) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 9);
        ByteBuffer.wrap(secret).putInt(seed);
        return Ed25519KeyPair.fromSecret(secret);
    }

    private static BlsKeyPair blsKey(int seed) {
        byte[] secret = new byte[32];
        secret[0] = 0x12;
        ByteBuffer.wrap(secret, 28, 4).putInt(seed + 1);
        return BlsKeyPair.fromSecret(secret);
    }

    private static void applyOrFail(CommandResult result) {
        if (result instanceof CommandResult.Refused r) {
            throw new IllegalStateException("refused: " + r.reason() + ": " + r.message());
        }
    }

    // ------------------------------------------------------------------------------------------------ measures

    private long checkpointMillis() throws IOException {
        Path target = dir.resolve("checkpoint");
        long start = System.nanoTime();
        state.checkpoint(target);
        long millis = (System.nanoTime() - start) / 1_000_000;
        deleteTree(target);
        return millis;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static long sizeOnDisk(Path root) throws IOException {
        AtomicLong total = new AtomicLong();
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    total.addAndGet(Files.size(f));
                } catch (IOException e) {
                    // a file RocksDB just deleted
                }
            });
        }
        return total.get();
    }

    private static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String mib(long bytes) {
        return String.format("%,d MiB", bytes >> 20);
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
