package io.tusk.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {
    record Form(String name, Integer port, Long bytes, Boolean sync) {}

    @TempDir
    Path dir;

    @Test
    void shouldBindKeysToComponentsAndLeaveAbsentKeysNull() throws Exception {
        Path file = write("name: a\nport: 9185\nsync: true\n");
        assertThat(ConfigFile.read(file, Form.class)).isEqualTo(new Form("a", 9185, null, true));
        assertThat(ConfigFile.read(write(""), Form.class)).isEqualTo(new Form(null, null, null, null));
        assertThat(ConfigFile.read(write("# only a comment\n"), Form.class)).isEqualTo(new Form(null, null, null, null));
    }

    @Test
    void shouldRefuseUnknownKeysNamingTheKnownOnes() throws Exception {
        Path file = write("name: a\nprot: 1\n");
        assertThatThrownBy(() -> ConfigFile.read(file, Form.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": unknown key 'prot' (known: bytes, name, port, sync)");
    }

    @Test
    void shouldNameTheKeyAndValueOfAWrongType() throws Exception {
        Path port = write("port: nine\n");
        assertThatThrownBy(() -> ConfigFile.read(port, Form.class)).hasMessage(port + ": port = nine must be a whole number");
        Path sync = write("sync: maybe\n");
        assertThatThrownBy(() -> ConfigFile.read(sync, Form.class)).hasMessage(sync + ": sync = maybe must be true or false");
        Path fraction = write("bytes: 1.5\n");
        assertThatThrownBy(() -> ConfigFile.read(fraction, Form.class)).hasMessageStartingWith(fraction + ": bytes");
        Path tooLarge = write("port: 99999999999\n");
        assertThatThrownBy(() -> ConfigFile.read(tooLarge, Form.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999999999");
    }

    @Test
    void shouldRefuseWhatIsNotAFlatMapping() throws Exception {
        Path list = write("- a\n- b\n");
        assertThatThrownBy(() -> ConfigFile.read(list, Form.class)).hasMessage(list + ": must be a YAML mapping of keys to values");
        Path nested = write("name:\n  first: a\n");
        assertThatThrownBy(() -> ConfigFile.read(nested, Form.class)).hasMessage(nested + ": name must be a plain value, not a mapping");
        Path broken = write("name: [a\n");
        assertThatThrownBy(() -> ConfigFile.read(broken, Form.class)).hasMessageStartingWith(broken + ": not YAML");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("missing.yaml"), Form.class))
                .hasMessageContaining("no configuration file at");
    }

    @Test
    void shouldConvertStringValuesOfAPropertiesFile() {
        assertThat(ConfigFile.fromStrings(Map.of("port", "80", "sync", "false"), Form.class, "node.properties"))
                .isEqualTo(new Form(null, 80, null, false));
        assertThatThrownBy(() -> ConfigFile.fromStrings(Map.of("port", "x"), Form.class, "node.properties"))
                .hasMessage("node.properties: port = x must be a whole number");
        assertThatThrownBy(() -> ConfigFile.fromStrings(Map.of("nope", "x"), Form.class, "node.properties"))
                .hasMessageStartingWith("node.properties: unknown key 'nope'");
    }

    private int files;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("config-" + files++ + ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
