package io.tusk.memory.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.memory.embedding.EmbeddingSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSON filters (the Pinecone/Chroma operator syntax) parsed and run against a real index of four memories. */
class FilterJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EmbeddingSpec SPEC = new EmbeddingSpec("test-4d", 4);

    private MemoryIndex index;

    @BeforeEach
    void open() throws IOException {
        index = MemoryIndex.open(new ByteBuffersDirectory(), SPEC);
        index.apply(1, List.of(
                put("oslo", Map.of("city", "Oslo", "age", 34L, "tags", "family,travel", "verified", true)),
                put("lima", Map.of("city", "Lima", "age", 19.5, "tags", "work")),
                put("kyoto", Map.of("city", "Kyoto", "age", 61L)),
                put("bare", Map.of())));
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    private static IndexChange.Put put(String id, Map<String, Object> metadata) {
        return new IndexChange.Put(new IndexedMemory(id, 1, id, new float[] {1, 0, 0, 0}, metadata, null, 1000,
                IndexedMemory.OPEN, 1000));
    }

    private List<String> matching(String filter) throws IOException {
        JsonNode json = JSON.readTree(filter);
        return index.currentIds(FilterJson.parse(json)).stream().sorted().toList();
    }

    @Test
    void shouldMatchEachOperatorAsTheIndexDoes() throws IOException {
        assertThat(matching("{\"city\": \"Oslo\"}")).containsExactly("oslo");
        assertThat(matching("{\"city\": {\"$eq\": \"Lima\"}}")).containsExactly("lima");
        assertThat(matching("{\"city\": {\"$ne\": \"Oslo\"}}")).as("$ne matches memories without the key")
                .containsExactly("bare", "kyoto", "lima");
        assertThat(matching("{\"age\": {\"$gt\": 19}}")).as("integers and reals compare by value")
                .containsExactly("kyoto", "lima", "oslo");
        assertThat(matching("{\"age\": {\"$gte\": 19.5, \"$lt\": 61}}")).containsExactly("lima", "oslo");
        assertThat(matching("{\"age\": {\"$lte\": 34}}")).containsExactly("lima", "oslo");
        assertThat(matching("{\"city\": {\"$in\": [\"Oslo\", \"Kyoto\", \"Paris\"]}}")).containsExactly("kyoto", "oslo");
        assertThat(matching("{\"city\": {\"$nin\": [\"Oslo\", \"Kyoto\"]}}")).containsExactly("bare", "lima");
        assertThat(matching("{\"tags\": {\"$contains\": \"travel\"}}")).containsExactly("oslo");
        assertThat(matching("{\"tags\": {\"$exists\": true}}")).containsExactly("lima", "oslo");
        assertThat(matching("{\"tags\": {\"$exists\": false}}")).containsExactly("bare", "kyoto");
        assertThat(matching("{\"verified\": true}")).containsExactly("oslo");
    }

    @Test
    void shouldCombineConditions() throws IOException {
        assertThat(matching("{\"city\": \"Oslo\", \"age\": 34}")).as("several keys: all hold").containsExactly("oslo");
        assertThat(matching("{\"city\": \"Oslo\", \"age\": 35}")).isEmpty();
        assertThat(matching("{\"$or\": [{\"city\": \"Lima\"}, {\"age\": {\"$gt\": 60}}]}"))
                .containsExactly("kyoto", "lima");
        assertThat(matching("{\"$and\": [{\"age\": {\"$gt\": 18}}, {\"$not\": {\"city\": \"Oslo\"}}]}"))
                .containsExactly("kyoto", "lima");
        assertThat(FilterJson.parse(JSON.readTree("{}"))).as("an empty object is no filter").isNull();
        assertThat(FilterJson.parse(JSON.readTree("null"))).isNull();
        assertThat(FilterJson.parse(null)).isNull();
    }

    @Test
    void shouldRefuseBadFiltersNamingWhatIsWrong() {
        assertRefused("{\"city\": {\"$near\": \"Oslo\"}}", "'city'", "$near");
        assertRefused("{\"$xor\": []}", "$xor");
        assertRefused("{\"city\": null}", "'city'", "null");
        assertRefused("{\"city\": [\"Oslo\"]}", "'city'", "array");
        assertRefused("{\"city\": {\"$in\": []}}", "'city'", "$in");
        assertRefused("{\"city\": {\"$in\": [{\"a\": 1}]}}", "'city'", "object");
        assertRefused("{\"tags\": {\"$contains\": 3}}", "'tags'", "$contains");
        assertRefused("{\"tags\": {\"$exists\": \"yes\"}}", "$exists");
        assertRefused("{\"age\": {\"$gt\": 123456789012345678901234567890}}", "'age'", "64 bits");
        assertRefused("{\"$and\": {\"city\": \"Oslo\"}}", "$and");
        assertRefused("{\"$or\": [{}]}", "empty");
        assertRefused("[1, 2]", "JSON object");
        assertRefused("{\"flag\": {\"$gt\": true}}", "'flag'", "booleans");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i <= FilterJson.MAX_DEPTH + 1; i++) {
            deep.append("{\"$not\": ");
        }
        deep.append("{\"a\": 1}").append("}".repeat(FilterJson.MAX_DEPTH + 2));
        assertRefused(deep.toString(), "deeper");
        StringBuilder wide = new StringBuilder("{\"$or\": [");
        for (int i = 0; i <= FilterJson.MAX_CONDITIONS; i++) {
            wide.append(i == 0 ? "" : ", ").append("{\"k\": ").append(i).append('}');
        }
        assertRefused(wide.append("]}").toString(), "more than " + FilterJson.MAX_CONDITIONS);
    }

    private static void assertRefused(String filter, String... parts) {
        assertThatThrownBy(() -> FilterJson.parse(JSON.readTree(filter)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(parts));
    }
}
