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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tusk info}: epoch, shards, sizes, prices, and the committee; {@code --json} keeps its shape. Walrus's
 * subcommands print one section each: {@code epoch}, {@code storage}, {@code size}, {@code price}, {@code bft},
 * {@code committee} ({@code all} = no subcommand).
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the epoch, shards, prices and the committee.",
        subcommands = {InfoCommand.Section.All.class, InfoCommand.Section.Epoch.class, InfoCommand.Section.Storage.class,
                InfoCommand.Section.Size.class, InfoCommand.Section.Price.class, InfoCommand.Section.Bft.class,
                InfoCommand.Section.Committee.class})
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

    /** One section of {@code tusk info}, as Walrus's {@code walrus info SECTION}. */
    abstract static class Section implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions options;

        /** The section as JSON fields and as text lines. */
        abstract void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                               PrintWriter text);

        @Override
        public Integer call() throws Exception {
            EpochInfo epoch;
            CommitteeInfo committee;
            PriceInfo prices;
            try (TuskClient client = options.connect()) {
                epoch = client.control().epoch();
                committee = client.control().committee();
                prices = client.control().prices();
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> json = new LinkedHashMap<>();
            java.io.StringWriter text = new java.io.StringWriter();
            describe(epoch, committee, prices, json, new PrintWriter(text, true));
            if (options.json) {
                out.println(ClientOptions.toJson(json));
            } else {
                out.print(text);
            }
            out.flush();
            return 0;
        }

        @Command(name = "all", mixinStandardHelpOptions = true, description = "Every section (as 'tusk info').")
        static final class All extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                for (Section section : List.of(new Epoch(), new Storage(), new Size(), new Price(), new Bft(),
                        new Committee())) {
                    Map<String, Object> part = new LinkedHashMap<>();
                    section.describe(epoch, committee, prices, part, text);
                    json.putAll(part);
                }
            }
        }

        @Command(name = "epoch", mixinStandardHelpOptions = true, description = "The current epoch and its timing.")
        static final class Epoch extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                json.put("currentEpoch", epoch.epoch());
                json.put("startOfCurrentEpoch", java.time.Instant.ofEpochMilli(epoch.startTimeMillis()).toString());
                json.put("epochDurationMillis", epoch.epochDurationMillis());
                json.put("maxEpochsAhead", epoch.maxEpochsAhead());
                text.printf("epoch %d (started %s, duration %d s), blobs stored up to %d epochs ahead%n", epoch.epoch(),
                        java.time.Instant.ofEpochMilli(epoch.startTimeMillis()), epoch.epochDurationMillis() / 1000,
                        epoch.maxEpochsAhead());
            }
        }

        @Command(name = "storage", mixinStandardHelpOptions = true, description = "Storage nodes and shards.")
        static final class Storage extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                json.put("nNodes", committee.members().size());
                json.put("nShards", committee.shardCount());
                text.printf("%d storage nodes, %d shards%n", committee.members().size(), committee.shardCount());
            }
        }

        @Command(name = "size", mixinStandardHelpOptions = true, description = "Storage unit and the largest blob.")
        static final class Size extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                long max = new EncodingConfig(committee.shardCount()).maxBlobSize();
                json.put("storageUnitSize", prices.unitSize());
                json.put("maxBlobSize", max);
                text.printf("storage unit %d bytes, max blob size %d bytes%n", prices.unitSize(), max);
            }
        }

        @Command(name = "price", mixinStandardHelpOptions = true, description = "Storage and write prices.")
        static final class Price extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                json.put("storagePricePerUnitSize", prices.storagePricePerUnitPerEpoch());
                json.put("writePricePerUnitSize", prices.writePricePerUnit());
                text.printf("prices: storage %d per %d-byte unit per epoch, write %d per unit%n",
                        prices.storagePricePerUnitPerEpoch(), prices.unitSize(), prices.writePricePerUnit());
            }
        }

        @Command(name = "bft", mixinStandardHelpOptions = true, description = "Fault tolerance: f and the quorums.")
        static final class Bft extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                int f = io.tusk.core.Bft.maxFaulty(committee.shardCount());
                json.put("f", f);
                json.put("quorumThreshold", 2 * f + 1);
                json.put("validityThreshold", f + 1);
                EncodingConfig encoding = new EncodingConfig(committee.shardCount());
                json.put("primarySourceSymbols", encoding.primarySourceSymbols());
                json.put("secondarySourceSymbols", encoding.secondarySourceSymbols());
                text.printf("%d shards: f = %d, quorum %d shards, validity %d shards; %d primary and %d secondary "
                        + "source symbols%n", committee.shardCount(), f, 2 * f + 1, f + 1,
                        encoding.primarySourceSymbols(), encoding.secondarySourceSymbols());
            }
        }

        @Command(name = "committee", mixinStandardHelpOptions = true, description = "The current committee.")
        static final class Committee extends Section {
            @Override
            void describe(EpochInfo epoch, CommitteeInfo committee, PriceInfo prices, Map<String, Object> json,
                          PrintWriter text) {
                json.put("committee", committee);
                text.printf("committee of epoch %d (%d nodes):%n", committee.epoch(), committee.members().size());
                for (CommitteeMember member : committee.members()) {
                    text.printf("  %-12s %-22s %3d shards  stake %d  key %s%n", member.name(), member.networkAddress(),
                            member.shards().size(), member.stake(),
                            Base64.getEncoder().encodeToString(member.blsPublicKey()));
                }
            }
        }
    }
}
