package io.tusk.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadYamlWithDefaultsAndRelativePaths() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "dataDir: data\nblsKeyFile: /keys/node.bls\ncontrolUrl: http://127.0.0.1:9180\nport: 9999\n"
                + "syncDataWrites: true\n");
        NodeConfig config = NodeConfig.load(file);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.blsKeyFile()).isEqualTo(Path.of("/keys/node.bls"));
        assertThat(config.controlUrl()).isEqualTo(URI.create("http://127.0.0.1:9180"));
        assertThat(config.port()).isEqualTo(9999);
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.syncDataWrites()).isTrue();
        assertThat(config.pendingMaxEntries()).isEqualTo(10_000);
    }

    @Test
    void shouldLoadPropertiesWithTheSameKeys() throws Exception {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, "dataDir=d\nblsKeyFile=k\ncontrolUrl=http://c:1\nbindHost=0.0.0.0\npendingMaxBytes=1024\n");
        NodeConfig config = NodeConfig.load(file);
        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.pendingMaxBytes()).isEqualTo(1024);
        assertThat(config.blsKeyFile()).isEqualTo(dir.resolve("k"));
    }

    @Test
    void shouldNameTheKeyAtFault() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nport: 70000\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("port = 70000");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nprot: 1\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("unknown key 'prot'");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("controlUrl");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nsyncDataWrites: maybe\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("syncDataWrites = maybe must be true or false");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nport: nine\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("port = nine must be a whole number");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nport: [1, 2]\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("port must be a plain value");
        Files.writeString(file, "- dataDir\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("must be a YAML mapping");
        Path properties = dir.resolve("bad.properties");
        Files.writeString(properties, "dataDir=d\nblsKeyFile=k\ncontrolUrl=http://c:1\nmaxLongPolls=many\n");
        assertThatThrownBy(() -> NodeConfig.load(properties)).hasMessageContaining("maxLongPolls = many must be a whole number");
        Files.writeString(properties, "dataDir=d\nblsKeyFile=k\ncontrolUrl=http://c:1\nprot=1\n");
        assertThatThrownBy(() -> NodeConfig.load(properties)).hasMessageContaining("unknown key 'prot'");
    }

    @Test
    void shouldReadAdminSocketAndCheckpointSettingsWithDefaultsBesideTheDataDirectory() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "dataDir: data/node1\nblsKeyFile: k\ncontrolUrl: http://c:1\n");
        NodeConfig defaults = NodeConfig.load(file);
        assertThat(defaults.adminSocket()).isEqualTo(dir.resolve("data/node1-admin.sock"));
        assertThat(defaults.checkpoints().directory()).isEqualTo(dir.resolve("data/node1-checkpoints"));
        assertThat(defaults.checkpoints().periodic()).isFalse();
        assertThat(defaults.checkpoints().retention()).isEqualTo(3);

        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nadminSocket: run/admin.sock\n"
                + "checkpointDir: /backup/n1\ncheckpointIntervalMillis: 3600000\ncheckpointRetention: 7\n");
        NodeConfig set = NodeConfig.load(file);
        assertThat(set.adminSocket()).isEqualTo(dir.resolve("run/admin.sock"));
        assertThat(set.checkpoints().directory()).isEqualTo(Path.of("/backup/n1"));
        assertThat(set.checkpoints().interval()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(set.checkpoints().retention()).isEqualTo(7);
        assertThat(set.withPort(1).checkpoints()).isEqualTo(set.checkpoints());

        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nadminSocket: none\n");
        assertThat(NodeConfig.load(file).adminSocket()).isNull();
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\ncheckpointRetention: 0\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("checkpointRetention = 0");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\ncheckpointIntervalMillis: 10\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("checkpointIntervalMillis = 10");
    }

    @Test
    void shouldReadRecoverySettingsWithDefaults() throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nrecoveryConcurrency: 3\n"
                + "recoveryDelayMillis: 0\nrecoveryVerifyOnStartup: false\n");
        NodeConfig config = NodeConfig.load(file);
        assertThat(config.recovery().concurrency()).isEqualTo(3);
        assertThat(config.recovery().delay()).isZero();
        assertThat(config.recovery().verifyOnStartup()).isFalse();
        assertThat(config.recovery().maxInflightBytes())
                .isEqualTo(io.tusk.node.recovery.RecoveryConfig.DEFAULT.maxInflightBytes());
        assertThat(config.recovery().requestTimeout())
                .isEqualTo(io.tusk.node.recovery.RecoveryConfig.DEFAULT.requestTimeout());

        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nrecoveryConcurrency: 0\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("recoveryConcurrency = 0");
        Files.writeString(file, "dataDir: d\nblsKeyFile: k\ncontrolUrl: http://c:1\nrecoveryDelayMillis: -5\n");
        assertThatThrownBy(() -> NodeConfig.load(file)).hasMessageContaining("recoveryDelayMillis = -5");
    }

    @Test
    void shouldCreateAndReloadTheBlsKey() throws Exception {
        Path key = dir.resolve("keys/node.bls");
        var created = StorageNode.loadOrCreateKey(key);
        assertThat(StorageNode.loadOrCreateKey(key).publicKey()).isEqualTo(created.publicKey());
        Files.writeString(key, "nothex");
        assertThatThrownBy(() -> StorageNode.loadOrCreateKey(key)).hasMessageContaining("64 hex digits");
    }
}
