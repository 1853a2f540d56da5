package io.tusk.cli;

import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.client.ControlClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who is who among the control-plane replicas: every configured URL and every member a replica names, each asked
 * once, in parallel, with a short timeout. What {@code tusk info --json} shows as {@code controlReplicas}.
 */
final class ReplicaRoles {
    static final String LEADER = "leader";
    static final String FOLLOWER = "follower";
    static final String UNREACHABLE = "unreachable";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One replica as {@code tusk info --json} shows it. */
    record Role(String url, String role) {
    }

    private ReplicaRoles() {
    }

    /**
     * Each replica's URL and role: {@code leader}, {@code follower} (any member that answers and does not lead, also
     * while it is a candidate) or {@code unreachable}.
     */
    static List<Role> of(List<URI> configured) {
        Map<URI, ReplicaStatus> answers = ask(configured);
        Set<URI> all = new LinkedHashSet<>(answers.keySet());
        for (ReplicaStatus status : answers.values()) {
            if (status != null) {
                status.replicas().stream().map(ReplicaPeer::url).map(ReplicaRoles::normalize).forEach(all::add);
            }
        }
        List<URI> missing = all.stream().filter(u -> !answers.containsKey(u)).toList();
        answers.putAll(ask(missing));
        List<Role> roles = new ArrayList<>();
        for (URI url : all) {
            ReplicaStatus status = answers.get(url);
            roles.add(new Role(url.toString(), status == null ? UNREACHABLE
                    : ReplicaStatus.LEADER.equals(status.role()) ? LEADER : FOLLOWER));
        }
        return roles;
    }

    /** What each replica says of itself and its group, or null for one that did not answer. */
    static Map<URI, ReplicaStatus> ask(List<URI> urls) {
        Map<URI, CompletableFuture<ReplicaStatus>> pending = new LinkedHashMap<>();
        for (URI url : urls) {
            URI normalized = normalize(url);
            pending.put(normalized, CompletableFuture.supplyAsync(() -> {
                try {
                    return ControlClient.replicaStatus(normalized, TIMEOUT);
                } catch (RuntimeException e) {
                    return null;
                }
            }));
        }
        Map<URI, ReplicaStatus> answers = new LinkedHashMap<>();
        pending.forEach((url, future) -> answers.put(url, future.join()));
        return answers;
    }

    static URI normalize(URI url) {
        String text = url.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
}
