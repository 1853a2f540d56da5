package io.tusk.control.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.ControlJson;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The genesis a replica's directory was created with, kept in it so that a restart needs no genesis file. */
final class GenesisFile {
    private GenesisFile() {
    }

    /**
     * The genesis stored in {@code file}, or {@code given} written there if there is none yet.
     *
     * @throws IOException if both exist and differ, or neither does
     */
    static GenesisConfig openOrCreate(Path file, GenesisConfig given) throws IOException {
        ObjectMapper json = ControlJson.mapper();
        if (Files.exists(file)) {
            GenesisConfig stored = json.readValue(Files.readAllBytes(file), GenesisConfig.class);
            if (given != null && !Arrays.equals(json.writeValueAsBytes(given), json.writeValueAsBytes(stored))) {
                throw new IOException(file.getParent() + " was created with a different genesis (" + file + ")");
            }
            return stored;
        }
        if (given == null) {
            throw new IOException(file.getParent() + " has no " + file.getFileName() + " and no genesis was given");
        }
        ControlState.genesis(given); // validate before writing anything
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(given));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open directories; the rename is still atomic there
        }
        return given;
    }
}
