package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.SpaceHead;
import io.tusk.spaces.Change;
import io.tusk.spaces.CommitResult;
import io.tusk.spaces.Content;
import io.tusk.spaces.Entry;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Record;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceException;
import io.tusk.spaces.SpaceStream;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.StreamAppender;
import io.tusk.spaces.VerifyOptions;
import io.tusk.spaces.VerifyReport;
import io.tusk.spaces.VersionInfo;
import io.tusk.spaces.store.AggregatorBlobSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code tusk space ...}: spaces from the command line (docs/spaces.md). Writes are signed by the {@code client.yaml}
 * account, which owns the spaces it creates; {@code put} and {@code rm} re-apply themselves when another writer wins
 * the version they built on, so two CLI writers on one space both land. A space of another account is named
 * {@code 0xOWNER/NAME} (read-only).
 */
@Command(name = "space", mixinStandardHelpOptions = true,
        description = "Spaces: versioned, verifiable, encrypted namespaces of keys (docs/spaces.md).",
        subcommands = {SpaceCommand.Create.class, SpaceCommand.Put.class, SpaceCommand.Get.class, SpaceCommand.Rm.class,
                SpaceCommand.Ls.class, SpaceCommand.History.class, SpaceCommand.Verify.class, SpaceCommand.Append.class,
                SpaceCommand.Follow.class, SpaceCommand.ListSpaces.class, SpaceCommand.Tag.class,
                SpaceCommand.Restore.class, SpaceCommand.Diff.class, SpaceCommand.Forget.class,
                SpaceCommand.Retain.class, SpaceCommand.Renew.class})
final class SpaceCommand {
    private SpaceCommand() {
    }

    /** A space named on the command line: {@code NAME} (this account's) or {@code 0xOWNER/NAME}. */
    static Space open(Spaces spaces, String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? spaces.open(name) : spaces.open(name.substring(0, slash), name.substring(slash + 1));
    }

    /** {@code --at V}: a version number, or an ISO-8601 time (the version current then). */
    static Snapshot at(Space space, String at) {
        if (at == null) {
            return space.snapshot();
        }
        if (!at.isEmpty() && at.chars().allMatch(Character::isDigit)) {
            return space.at(Long.parseLong(at));
        }
        try {
            return space.at(Instant.parse(at));
        } catch (DateTimeParseException e) {
            try {
                return space.at(OffsetDateTime.parse(at).toInstant());
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("--at must be a version number or an ISO-8601 time such as "
                        + "2026-12-07T10:15:30Z, got '" + at + "'");
            }
        }
    }

    static Map<String, Object> entryJson(Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", e.key());
        out.put("size", e.size());
        out.put("contentType", e.contentType());
        out.put("etag", e.etag());
        out.put("version", e.version());
        out.put("modified", e.modified().toString());
        out.put("metadata", new TreeMap<>(e.metadata()));
        out.put("encrypted", e.encrypted());
        return out;
    }

    static Map<String, Object> commitJson(String space, CommitResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("space", space);
        out.put("version", r.version());
        out.put("manifestBlobId", r.manifestBlobId());
        out.put("commitTime", r.commitTime().toString());
        out.put("changed", r.changed());
        out.put("attempts", r.attempts());
        return out;
    }

    /** Opens the client for a command that writes: funds a new account on a devnet. */
    static TuskClient writer(ClientOptions options) throws IOException {
        TuskClient client = options.connect();
        Funding.ensureFunded(client);
        return client;
    }

    /** What every space subcommand takes: the client options, and the spec to print through. */
    abstract static class SpaceSubcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
    }

    /** A subcommand on one space, named by its first parameter. */
    abstract static class OnSpace extends SpaceSubcommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a space owned by this account.")
    static final class Create extends SpaceSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "1 to 64 of A-Z a-z 0-9 . _ - (not starting with '.').")
        String name;
        @Option(names = "--encrypted", description = "Encrypt everything on the client (AES-GCM): no plaintext leaves it.")
        boolean encrypted;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                Space space = new Spaces(client).create(name, encrypted);
                SpaceHead head = space.head();
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(head));
                } else {
                    out.println("created space " + name + " (owner " + head.owner() + (encrypted ? ", encrypted" : "") + ")");
                }
            }
            return 0;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Put FILE (or - for standard input) under KEY.")
    static final class Put extends OnSpace {
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Parameters(index = "2", paramLabel = "FILE")
        String file;
        @Option(names = "--meta", paramLabel = "K=V", description = "User metadata (repeatable).")
        List<String> meta = new ArrayList<>();
        @Option(names = "--content-type", paramLabel = "TYPE", description = "Content type (default: application/octet-stream).")
        String contentType = PutOptions.DEFAULT_CONTENT_TYPE;

        @Override
        public Integer call() throws Exception {
            Map<String, String> metadata = new TreeMap<>();
            for (String m : meta) {
                int eq = m.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--meta must be K=V with a non-empty K, got '" + m + "'");
                }
                metadata.put(m.substring(0, eq), m.substring(eq + 1));
            }
            Path temporary = null;
            Path path;
            if (file.equals("-")) {
                temporary = Files.createTempFile("tusk-space-put-", ".part");
                try (InputStream in = System.in) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                }
                path = temporary;
            } else {
                path = Path.of(file);
                if (!Files.isRegularFile(path)) {
                    throw new NoSuchFileException(file + " (not a readable file)");
                }
            }
            try (TuskClient client = writer(options)) {
                Space space = open(new Spaces(client), name);
                CommitResult result = space.put(key, Content.of(path),
                        PutOptions.defaults().withContentType(contentType).withMetadata(metadata));
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    Map<String, Object> json = commitJson(name, result);
                    json.put("key", key);
                    out.println(ClientOptions.toJson(json));
                } else {
                    out.println("put " + key + " (" + Files.size(path) + " bytes) in space " + name + ": version "
                            + result.version() + (result.attempts() > 1 ? " (after " + (result.attempts() - 1)
                            + " lost races)" : ""));
                }
            } finally {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Write an entry's bytes to standard output, or to --out FILE.")
    static final class Get extends OnSpace {
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Option(names = "--at", paramLabel = "V", description = "A version number or an ISO-8601 time (default: the head).")
        String at;
        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (atomically) instead of standard output.")
        Path out;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                Snapshot snapshot = at(open(new Spaces(client), name), at);
                if (out == null) {
                    OutputStream stdout = new BufferedOutputStream(System.out, 1 << 20);
                    snapshot.read(key, stdout);
                    stdout.flush();
                    return 0;
                }
                Path absolute = out.toAbsolutePath();
                Path temporary = Files.createTempFile(absolute.getParent(), ".tusk-space-get-", ".part");
                try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 20)) {
                    snapshot.read(key, file);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temporary);
                    throw e;
                }
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                spec.commandLine().getErr().println("read " + key + " of space " + name + " version "
                        + snapshot.version() + " into " + out);
            }
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete an entry (a new version without it).")
    static final class Rm extends OnSpace {
        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                CommitResult result = open(new Spaces(client), name).delete(key);
                if (result.changed() == 0) {
                    throw new SpaceException("space " + name + " has no entry '" + key + "' (version " + result.version()
                            + "); nothing was changed");
                }
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(commitJson(name, result)));
                } else {
                    out.println("deleted " + key + " from space " + name + ": version " + result.version());
                }
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List entries in key order.")
    static final class Ls extends OnSpace {
        @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
        String prefix = "";
        @Option(names = "--delimiter", paramLabel = "D", description = "Roll keys up to the first D after the prefix.")
        String delimiter;
        @Option(names = "--at", paramLabel = "V", description = "A version number or an ISO-8601 time (default: the head).")
        String at;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                Snapshot snapshot = at(open(new Spaces(client), name), at);
                List<Entry> entries = new ArrayList<>();
                List<String> prefixes = new ArrayList<>();
                String after = null;
                do {
                    ListPage page = snapshot.list(new ListQuery(prefix, delimiter, after, ListQuery.MAX_LIMIT));
                    entries.addAll(page.entries());
                    prefixes.addAll(page.commonPrefixes());
                    after = page.nextStartAfter();
                } while (after != null);
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("space", name);
                    json.put("version", snapshot.version());
                    json.put("entries", entries.stream().map(SpaceCommand::entryJson).toList());
                    if (delimiter != null) {
                        json.put("commonPrefixes", prefixes);
                    }
                    out.println(ClientOptions.toJson(json));
                } else {
                    for (String p : prefixes) {
                        out.printf("%12s  %-24s  %s%n", "PRE", "", p);
                    }
                    for (Entry e : entries) {
                        out.printf("%12d  %-24s  %s%n", e.size(), e.modified(), e.key());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The space's versions, oldest first.")
    static final class History extends OnSpace {

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                List<VersionInfo> versions = new ArrayList<>(open(new Spaces(client), name).history(Long.MAX_VALUE,
                        Integer.MAX_VALUE));
                Collections.reverse(versions);
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(versions.stream().map(v -> {
                        Map<String, Object> json = new LinkedHashMap<>();
                        json.put("version", v.version());
                        json.put("manifestBlobId", v.manifestBlobId());
                        json.put("commitTime", v.commitTime().toString());
                        json.put("message", v.message());
                        json.put("puts", v.puts());
                        json.put("deletes", v.deletes());
                        json.put("changedKeys", v.changedKeys());
                        json.put("changedKeysTruncated", v.truncated());
                        json.put("entryCount", v.entryCount());
                        json.put("tags", v.tags());
                        return json;
                    }).toList()));
                } else {
                    for (VersionInfo v : versions) {
                        out.println("v" + v.version() + "  " + v.commitTime() + "  +" + v.puts() + " -" + v.deletes()
                                + "  " + v.entryCount() + " entries" + (v.tags().isEmpty() ? "" : "  tags " + v.tags())
                                + (v.message().isEmpty() ? "" : "  " + v.message()));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the chain from the head, re-derive every blob ID and check every manifest and entry.")
    static final class Verify extends OnSpace {
        @Option(names = "--gateway", paramLabel = "URL",
                description = "Read through this aggregator (trusted for nothing) instead of the storage nodes.")
        URI gateway;
        @Option(names = "--no-entries", description = "Check manifests and tree nodes only, not every entry's bytes.")
        boolean noEntries;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                Space space = open(new Spaces(client), name);
                VerifyOptions verify = VerifyOptions.defaults().withEntries(!noEntries);
                if (gateway != null) {
                    verify = verify.withSource(new AggregatorBlobSource(gateway, client.committeeInfo().shardCount()));
                }
                VerifyReport report = space.verify(verify);
                if (options.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("space", name);
                    json.put("ok", report.ok());
                    json.put("head", report.head());
                    json.put("versionsChecked", report.versionsChecked());
                    json.put("oldestChecked", report.oldestRetained());
                    json.put("blobsChecked", report.blobsChecked());
                    json.put("nodesChecked", report.nodesChecked());
                    json.put("entriesChecked", report.entriesChecked());
                    json.put("bytesChecked", report.bytesChecked());
                    json.put("treesChecked", report.treesChecked());
                    json.put("firstBreak", report.firstBreak());
                    json.put("elapsedMillis", report.elapsed().toMillis());
                    spec.commandLine().getOut().println(ClientOptions.toJson(json));
                }
                if (!report.ok()) {
                    throw new SpaceException("space " + name + " is broken at version " + report.firstBreak().version()
                            + ": " + report.firstBreak().detail() + " (" + report.versionsChecked()
                            + " newer versions checked)");
                }
                if (!options.json) {
                    spec.commandLine().getOut().println("verified " + report.versionsChecked() + " versions of space "
                            + name + " (head " + report.head() + (report.oldestRetained() > 1 ? ", older ones deleted by retention" : "")
                            + "): " + report.blobsChecked() + " blob IDs re-derived, " + report.nodesChecked() + " nodes, "
                            + report.entriesChecked() + " entries, " + report.bytesChecked() + " bytes"
                            + (report.treesChecked() ? "" : " (encrypted: chain and manifests only, no owner key)")
                            + " in " + report.elapsed().toMillis() + " ms");
                }
            }
            return 0;
        }
    }

    @Command(name = "append", mixinStandardHelpOptions = true,
            description = "Append the lines of FILE (or standard input, '-', the default) to a stream, batched into "
                    + "commits by size and age; --raw appends the whole input as one record.")
    static final class Append extends OnSpace {
        @Parameters(index = "1", paramLabel = "STREAM")
        String stream;
        @Parameters(index = "2", paramLabel = "FILE", arity = "0..1", defaultValue = "-")
        String file;
        @Option(names = "--raw", description = "Append the whole input as one record instead of one record per line.")
        boolean raw;
        @Option(names = "--batch-bytes", paramLabel = "N", defaultValue = "1048576",
                description = "Append when this many bytes are buffered (default: ${DEFAULT-VALUE}).")
        long batchBytes;
        @Option(names = "--max-delay-ms", paramLabel = "MS", defaultValue = "1000",
                description = "Append when the oldest buffered record is this old (default: ${DEFAULT-VALUE}).")
        long maxDelayMillis;

        @Override
        public Integer call() throws Exception {
            InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
            long first = -1;
            long count = 0;
            try (TuskClient client = writer(options); in) {
                SpaceStream target = open(new Spaces(client), name).stream(stream);
                if (raw) {
                    SpaceStream.AppendResult r = target.append(List.of(in.readAllBytes()));
                    first = r.firstOffset();
                    count = 1;
                } else {
                    long start = target.nextOffset();
                    try (StreamAppender appender = target.appender(batchBytes, Duration.ofMillis(maxDelayMillis));
                         BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            appender.add(line.getBytes(StandardCharsets.UTF_8));
                            count++;
                        }
                    }
                    first = start;
                }
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("space", name);
                    json.put("stream", stream);
                    json.put("records", count);
                    json.put("nextOffset", target.nextOffset());
                    out.println(ClientOptions.toJson(json));
                } else {
                    out.println("appended " + count + " records to stream " + stream + " of space " + name
                            + (count > 0 && raw ? " at offset " + first : "") + "; next offset " + target.nextOffset());
                }
            }
            return 0;
        }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true,
            description = "Print a stream's records from an offset (or a time) on, and keep printing new ones as they are "
                    + "appended (like tail -f). Each record is printed followed by a newline.")
    static final class Follow extends OnSpace {
        @Parameters(index = "1", paramLabel = "STREAM")
        String stream;
        @Option(names = "--from", paramLabel = "OFFSET", description = "First offset (default: 0).")
        Long from;
        @Option(names = "--since", paramLabel = "TIME", description = "Start after the records appended by this ISO-8601 time.")
        String since;
        @Option(names = "--limit", paramLabel = "N", description = "Stop after N records (default: follow forever).")
        Long limit;

        @Override
        public Integer call() throws Exception {
            if (from != null && since != null) {
                throw new IllegalArgumentException("give --from or --since, not both");
            }
            try (TuskClient client = options.connect()) {
                SpaceStream source = open(new Spaces(client), name).stream(stream);
                OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
                long[] printed = {0};
                java.util.function.Predicate<Record> sink = record -> {
                    try {
                        if (options.json) {
                            Map<String, Object> json = new LinkedHashMap<>();
                            json.put("offset", record.offset());
                            json.put("appended", record.appended().toString());
                            json.put("data", Base64.getEncoder().encodeToString(record.data()));
                            stdout.write(ClientOptions.toJson(json).replace("\n", "").getBytes(StandardCharsets.UTF_8));
                        } else {
                            stdout.write(record.data());
                        }
                        stdout.write('\n');
                        stdout.flush();
                    } catch (IOException e) {
                        return false; // the reader went away (a closed pipe): stop
                    }
                    return limit == null || ++printed[0] < limit;
                };
                if (limit != null && limit < 1) {
                    return 0;
                }
                if (since != null) {
                    Instant time;
                    try {
                        time = Instant.parse(since);
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("--since must be an ISO-8601 time such as 2026-12-07T10:15:30Z");
                    }
                    source.followSince(time, sink);
                } else {
                    source.follow(from == null ? 0 : from, sink);
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "This account's spaces (or OWNER's).")
    static final class ListSpaces extends SpaceSubcommand {
        @Parameters(index = "0", paramLabel = "OWNER", arity = "0..1")
        String owner;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                Spaces spaces = new Spaces(client);
                List<SpaceHead> heads = owner == null ? spaces.list() : spaces.list(owner);
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(heads));
                } else {
                    for (SpaceHead h : heads) {
                        out.println(h.name() + "  version " + h.version() + (h.encrypted() ? "  encrypted" : ""));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag a version (retention keeps tagged versions).")
    static final class Tag extends OnSpace {
        @Parameters(index = "1", paramLabel = "TAG")
        String tag;
        @Parameters(index = "2", paramLabel = "VERSION")
        long version;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                CommitResult r = open(new Spaces(client), name).tag(tag, version);
                spec.commandLine().getOut().println(options.json ? ClientOptions.toJson(commitJson(name, r))
                        : "tagged version " + version + " of space " + name + " as " + tag + ": version " + r.version());
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Make a new version equal to VERSION.")
    static final class Restore extends OnSpace {
        @Parameters(index = "1", paramLabel = "VERSION")
        long version;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                CommitResult r = open(new Spaces(client), name).restore(version);
                spec.commandLine().getOut().println(options.json ? ClientOptions.toJson(commitJson(name, r))
                        : "restored version " + version + " of space " + name + " as version " + r.version());
            }
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed between two versions.")
    static final class Diff extends OnSpace {
        @Parameters(index = "1", paramLabel = "FROM")
        long from;
        @Parameters(index = "2", paramLabel = "TO")
        long to;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = options.connect()) {
                List<Change> changes = open(new Spaces(client), name).diff(from, to);
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(changes.stream().map(c -> {
                        Map<String, Object> json = new LinkedHashMap<>();
                        json.put("key", c.key());
                        json.put("change", c.kind().name().toLowerCase(java.util.Locale.ROOT));
                        json.put("before", c.before() == null ? null : entryJson(c.before()));
                        json.put("after", c.after() == null ? null : entryJson(c.after()));
                        return json;
                    }).toList()));
                } else {
                    for (Change c : changes) {
                        out.println(switch (c.kind()) {
                            case ADDED -> "+ ";
                            case REMOVED -> "- ";
                            case CHANGED -> "~ ";
                        } + c.key());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = "Remove KEY and, in an encrypted space, destroy its data keys: its bytes become unreadable in "
                    + "every version.")
    static final class Forget extends OnSpace {
        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                CommitResult r = open(new Spaces(client), name).forget(key);
                if (r.changed() == 0) {
                    throw new SpaceException("space " + name + " has no entry '" + key + "'; nothing was changed");
                }
                spec.commandLine().getOut().println(options.json ? ClientOptions.toJson(commitJson(name, r))
                        : "forgot " + key + " in space " + name + ": version " + r.version());
            }
            return 0;
        }
    }

    @Command(name = "retain", mixinStandardHelpOptions = true,
            description = "Prune the versions the policy does not keep and delete the blobs no kept version needs.")
    static final class Retain extends OnSpace {
        @Option(names = "--keep-last", paramLabel = "N", required = true, description = "Keep the last N versions.")
        int keepLast;
        @Option(names = "--keep-younger-than", paramLabel = "DURATION",
                description = "Also keep versions younger than this (ISO-8601, e.g. P7D or PT12H).")
        Duration keepYoungerThan;
        @Option(names = "--no-keep-tagged", description = "Do not keep tagged versions (their tags are dropped).")
        boolean dropTagged;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                io.tusk.spaces.RetentionReport report = open(new Spaces(client), name).retain(
                        new io.tusk.spaces.RetentionPolicy(keepLast, keepYoungerThan, !dropTagged));
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(report));
                } else if (report.prunedVersions().isEmpty()) {
                    out.println("space " + name + ": nothing to prune");
                } else {
                    out.println("space " + name + ": pruned versions " + report.prunedVersions() + " (recorded as version "
                            + report.version() + "), deleted " + report.blobsDeleted() + " blobs, kept "
                            + report.blobsKept() + " they shared with kept versions");
                    report.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                }
            }
            return 0;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Extend the blobs kept versions need before they expire, within a budget; exit 1 if anything "
                    + "is at risk or lost.")
    static final class Renew extends OnSpace {
        @Option(names = "--horizon", paramLabel = "EPOCHS", defaultValue = "2",
                description = "Extend blobs that end within this many epochs (default: ${DEFAULT-VALUE}).")
        int horizon;
        @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
                description = "Extend by this many epochs (default: ${DEFAULT-VALUE}).")
        int epochs;
        @Option(names = "--budget", paramLabel = "AMOUNT", defaultValue = "9223372036854775807",
                description = "Spend at most this much (default: no limit).")
        long budget;

        @Override
        public Integer call() throws Exception {
            try (TuskClient client = writer(options)) {
                io.tusk.spaces.RenewalReport report = open(new Spaces(client), name).renew(
                        new io.tusk.spaces.RenewalPolicy(horizon, epochs, budget));
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(report));
                } else {
                    out.println("space " + name + " in epoch " + report.epoch() + ": " + report.blobsChecked()
                            + " blobs needed, " + report.extended().size() + " extended for " + report.spent());
                }
                report.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
                report.lost().forEach(l -> spec.commandLine().getErr().println("lost: " + l));
                return report.healthy() ? 0 : Main.EXIT_FAILURE;
            }
        }
    }
}
