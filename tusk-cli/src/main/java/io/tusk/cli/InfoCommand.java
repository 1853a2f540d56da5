package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.PriceInfo;
import io.tusk.core.encoding.EncodingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tusk info}: epoch, shards, sizes, prices, and the committee. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the epoch, shards, prices and the committee.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Override
    public Integer call() throws Exception {
        EpochInfo epoch;
        CommitteeInfo committee;
        PriceInfo prices;
        java.util.List<ReplicaRoles.Role> replicas;
        try (TuskClient client = options.connect()) {
            epoch = client.control().epoch();
            committee = client.control().committee();
            prices = client.control().prices();
            replicas = ReplicaRoles.of(client.config().controlUrl());
        }
        EncodingConfig encoding = new EncodingConfig(committee.shardCount());
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("epoch", epoch);
            result.put("nShards", committee.shardCount());
            result.put("maxBlobSize", encoding.maxBlobSize());
            result.put("prices", prices);
            result.put("committee", committee);
            result.put("controlReplicas", replicas);
            out.println(ClientOptions.toJson(result));
            return 0;
        }
        out.printf("epoch %d (started %s, duration %d s), blobs stored up to %d epochs ahead%n", epoch.epoch(),
                java.time.Instant.ofEpochMilli(epoch.startTimeMillis()), epoch.epochDurationMillis() / 1000, epoch.maxEpochsAhead());
        out.printf("%d shards: f = %d, %d primary and %d secondary source symbols, max blob size %d bytes%n",
                committee.shardCount(), encoding.maxFaulty(), encoding.primarySourceSymbols(),
                encoding.secondarySourceSymbols(), encoding.maxBlobSize());
        out.printf("prices: storage %d per %d-byte unit per epoch, write %d per unit%n",
                prices.storagePricePerUnitPerEpoch(), prices.unitSize(), prices.writePricePerUnit());
        out.printf("control plane: %s%n", String.join(", ", replicas.stream().map(r -> r.url() + " (" + r.role() + ")")
                .toList()));
        out.printf("committee of epoch %d (%d nodes):%n", committee.epoch(), committee.members().size());
        for (CommitteeMember member : committee.members()) {
            out.printf("  %-12s %-22s %3d shards  stake %d  key %s%n", member.name(), member.networkAddress(),
                    member.shards().size(), member.stake(), Base64.getEncoder().encodeToString(member.blsPublicKey()));
        }
        return 0;
    }
}
