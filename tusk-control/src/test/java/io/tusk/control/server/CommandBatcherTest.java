package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.core.api.ErrorReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group commit: a lone command goes out at once; commands arriving while entries are in flight go together into the
 * next entry, in arrival order, within the entry limits; each gets its own outcome, or the entry's failure.
 */
class CommandBatcherTest {
    /** An entry handed to Raft, and its answer (completed by the test). */
    private record Sent(CommandBatcher.Entry entry, CompletableFuture<Object> answer) {
    }

    private final LinkedBlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private CommandBatcher batcher;

    @AfterEach
    void close() {
        if (batcher != null) {
            batcher.close();
        }
    }

    private CommandBatcher batcher(int maxCommands, long maxBytes, int maxInFlight) {
        batcher = new CommandBatcher("test", maxCommands, maxBytes, maxInFlight, entry -> {
            CompletableFuture<Object> answer = new CompletableFuture<>();
            sent.add(new Sent(entry, answer));
            return answer;
        });
        return batcher;
    }

    @Test
    void shouldSendALoneCommandAtOnceAndGroupThoseThatArriveWhileAnEntryIsInFlight() throws Exception {
        batcher(256, 1 << 20, 1);
        CompletableFuture<CommandResult> first = batcher.submit(command(0), null);
        Sent one = next();
        assertThat(payloads(one.entry())).containsExactly(0);
        List<CompletableFuture<CommandResult>> later = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            later.add(batcher.submit(command(i), null));
        }
        assertThat(sent.poll(200, TimeUnit.MILLISECONDS)).as("nothing more while one entry is in flight").isNull();
        answer(one);
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(outcome(0));
        Sent two = next();
        assertThat(payloads(two.entry())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        answer(two);
        for (int i = 1; i <= 9; i++) {
            assertThat(later.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(outcome(i));
        }
    }

    @Test
    void shouldKeepEntriesWithinTheirCommandAndByteLimits() throws Exception {
        int commandBytes = 4 + LogEntries.encodedSize(command(0));
        batcher(4, 3L * commandBytes, 1);
        batcher.submit(command(0), null);
        Sent blocking = next();
        for (int i = 1; i <= 9; i++) {
            batcher.submit(command(i), null);
        }
        answer(blocking);
        List<List<Integer>> entries = new ArrayList<>();
        while (entries.stream().mapToInt(List::size).sum() < 9) {
            Sent s = next();
            entries.add(payloads(s.entry()));
            answer(s);
        }
        assertThat(entries).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9));
    }

    @Test
    void shouldFailEveryCommandOfAFailedEntryAndGoOn() throws Exception {
        batcher(256, 1 << 20, 2);
        CompletableFuture<CommandResult> a = batcher.submit(command(0), null);
        Sent first = next();
        first.answer().completeExceptionally(new ReplicaUnavailableException("the log failed"));
        assertThatThrownBy(() -> a.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ReplicaUnavailableException.class)
                .hasMessageContaining("the log failed");
        // Raft answered an entry the apply did not answer: the outcome is unknown, said so
        CompletableFuture<CommandResult> b = batcher.submit(command(1), null);
        next().answer().complete("reply");
        assertThatThrownBy(() -> b.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ReplicaUnavailableException.class)
                .hasMessageContaining("submit the same signed command again");
        CompletableFuture<CommandResult> c = batcher.submit(command(2), null);
        answer(next());
        assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(outcome(2));
    }

    @Test
    void shouldFailQueuedCommandsWhenClosed() throws Exception {
        batcher(256, 1 << 20, 1);
        batcher.submit(command(0), null);
        next();
        CompletableFuture<CommandResult> queued = batcher.submit(command(1), null);
        batcher.close();
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasMessageContaining("closing");
        assertThatThrownBy(() -> batcher.submit(command(2), null).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("closing");
    }

    private Sent next() throws InterruptedException {
        Sent s = sent.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("an entry sent within 10 s").isNotNull();
        return s;
    }

    /** Applies the entry as the state machine would: each command's outcome names its payload's first byte. */
    private static void answer(Sent s) {
        s.entry().answer(payloads(s.entry()).stream().map(CommandBatcherTest::outcome).toList());
        s.answer().complete("reply");
    }

    private static CommandResult outcome(int i) {
        return new CommandResult.Refused(ErrorReason.INVALID_ARGUMENT, "command " + i);
    }

    private static List<Integer> payloads(CommandBatcher.Entry entry) {
        return entry.commands().stream().map(c -> (int) c.payload()[0]).toList();
    }

    private static SignedCommand command(int i) {
        byte[] payload = new byte[16];
        payload[0] = (byte) i;
        return new SignedCommand(payload, new byte[32], new byte[64]);
    }
}
