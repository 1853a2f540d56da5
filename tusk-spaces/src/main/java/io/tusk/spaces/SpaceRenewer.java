package io.tusk.spaces;

import io.tusk.control.api.SpaceHead;
import io.tusk.http.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Keeps every space of an account alive in the background: every {@code interval} it renews each space with the
 * policy (each space gets the whole budget of one round; the caller sizes it) and hands each report to a listener;
 * warnings and lost blobs are also logged, so nothing a kept version needs lapses silently.
 */
public final class SpaceRenewer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceRenewer.class);

    private final Spaces spaces;
    private final RenewalPolicy policy;
    private final BiConsumer<String, RenewalReport> listener;
    private final BackgroundLoop loop;

    /** Starts renewing now and then every {@code interval}; {@code listener} gets (space name, report). */
    public SpaceRenewer(Spaces spaces, RenewalPolicy policy, Duration interval, BiConsumer<String, RenewalReport> listener) {
        this.spaces = spaces;
        this.policy = policy;
        this.listener = listener;
        // A round that fails as a whole (the control plane cannot list the spaces) is logged and tried again at the
        // next interval; a scheduled executor would have dropped every later round.
        this.loop = BackgroundLoop.named("tusk-space-renewer", this::round).virtual().every(interval)
                .retryAfter(interval, interval).start();
    }

    /** One round over the account's spaces (also what the timer runs). */
    public void round() {
        for (SpaceHead head : spaces.list()) {
            try {
                RenewalReport report = spaces.open(head.name()).renew(policy);
                if (!report.extended().isEmpty()) {
                    LOG.info("space {}: extended {} blobs for {}", head.name(), report.extended().size(), report.spent());
                }
                listener.accept(head.name(), report);
            } catch (RuntimeException e) {
                LOG.error("space {}: renewal failed: {}", head.name(), e.getMessage());
            }
        }
    }

    /** Stops renewing; a round in progress is interrupted and has ended when this returns. */
    @Override
    public void close() {
        loop.close();
    }
}
