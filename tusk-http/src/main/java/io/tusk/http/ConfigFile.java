package io.tusk.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * Configuration files of Tusk's services (node, gateway, client): a flat YAML mapping of keys to values, bound by
 * Jackson to a record whose components are the keys. Components are boxed types, so that an absent key is
 * {@code null} and the caller applies its default. Unknown keys are refused (a typo never passes silently), and every
 * error is one line naming the file, the key and the value at fault.
 */
public final class ConfigFile {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private ConfigFile() {}

    /**
     * Reads {@code file} into {@code form}. An empty file is a mapping with no keys.
     *
     * @throws IllegalArgumentException if the file is missing, is not a YAML mapping of plain values, has a key
     *                                  {@code form} does not have, or a value of the wrong type
     * @throws IOException              if the file cannot be read
     */
    public static <T> T read(Path file, Class<T> form) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no configuration file at " + file);
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": must be a YAML mapping of keys to values");
        }
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!entry.getValue().isValueNode()) {
                throw new IllegalArgumentException(file + ": " + entry.getKey() + " must be a plain value, not "
                        + (entry.getValue().isArray() ? "a list" : "a mapping"));
            }
        }
        return bind(root, form, file.toString());
    }

    /**
     * Binds string values (a properties file) into {@code form}, converting each to its component's type; errors
     * name {@code source}.
     */
    public static <T> T fromStrings(Map<String, String> values, Class<T> form, String source) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        values.forEach(root::put);
        return bind(root, form, source);
    }

    private static <T> T bind(JsonNode root, Class<T> form, String source) {
        try {
            return YAML.treeToValue(root, form);
        } catch (UnrecognizedPropertyException e) {
            TreeSet<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            throw new IllegalArgumentException(source + ": unknown key '" + e.getPropertyName() + "' (known: "
                    + String.join(", ", known) + ")");
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(source + ": " + key(e) + " = " + e.getValue() + " must be "
                    + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            String key = key(e);
            String value = key.isEmpty() ? "" : root.path(key).asText();
            throw new IllegalArgumentException(source + ": " + (key.isEmpty() ? "" : key + " = " + value + " ")
                    + "does not fit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage());
        }
    }

    private static String key(JsonMappingException e) {
        return e.getPath().isEmpty() ? "" : String.valueOf(e.getPath().getLast().getFieldName());
    }

    private static String expected(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        return "a " + type.getSimpleName();
    }
}
