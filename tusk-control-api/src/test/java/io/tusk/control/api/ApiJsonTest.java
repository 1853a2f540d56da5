package io.tusk.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.http.TuskJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiJsonTest {
    private final ObjectMapper json = ControlJson.mapper();

    @Test
    void shouldWriteBlobStatusInTheWalrusShape() throws Exception {
        assertThat(json.writeValueAsString(new BlobStatus.Nonexistent())).isEqualTo("\"nonexistent\"");
        BlobStatus permanent = new BlobStatus.Permanent(7, true, new BlobStatus.EventRef(3),
                new BlobStatus.DeletableCounts(2, 1), 4);
        String text = json.writeValueAsString(permanent);
        assertThat(text).isEqualTo("{\"permanent\":{\"endEpoch\":7,\"isCertified\":true,\"statusEvent\":{\"cursor\":3},"
                + "\"deletableCounts\":{\"countDeletableTotal\":2,\"countDeletableCertified\":1},"
                + "\"initialCertifiedEpoch\":4}}");
        for (BlobStatus status : List.of(permanent, new BlobStatus.Nonexistent(),
                new BlobStatus.Deletable(null, new BlobStatus.DeletableCounts(1, 0)),
                new BlobStatus.Invalid(new BlobStatus.EventRef(9)))) {
            String written = json.writeValueAsString(status);
            assertThat(json.readValue(written, BlobStatus.class)).isEqualTo(status);
            // the HTTP stack's mapper writes the same bytes, and a BlobInfo round-trips through a tree
            assertThat(TuskJson.mapper().writeValueAsString(status)).isEqualTo(written);
            BlobInfo info = new BlobInfo("x", status, List.of());
            assertThat(json.treeToValue(json.readTree(TuskJson.mapper().writeValueAsBytes(info)), BlobInfo.class))
                    .isEqualTo(info);
        }
    }

    @Test
    void shouldReadCommandsByTypeAndRejectUnknownOrMissingFields() throws Exception {
        Command c = json.readValue("{\"type\":\"extendBlob\",\"objectId\":\"0x1\",\"epochs\":2}", Command.class);
        assertThat(c).isEqualTo(new Command.ExtendBlob("0x1", 2));
        assertThat(json.writeValueAsString(new Command.AdvanceEpoch(5)))
                .isEqualTo("{\"type\":\"advanceEpoch\",\"startTimeMillis\":5}");
        assertThatThrownBy(() -> json.readValue("{\"type\":\"extendBlob\",\"objectId\":\"0x1\"}", Command.class))
                .hasMessageContaining("epochs");
        assertThatThrownBy(() -> json.readValue("{\"type\":\"extendBlob\",\"objectId\":\"0x1\",\"epochs\":2,\"x\":1}",
                Command.class)).hasMessageContaining("x");
        assertThatThrownBy(() -> json.readValue("{\"type\":\"extendBlob\",\"objectId\":\"0x1\",\"epochs\":2.5}",
                Command.class));
        assertThatThrownBy(() -> json.readValue("{\"type\":\"extendBlob\",\"objectId\":7,\"epochs\":2}",
                Command.class));
        assertThatThrownBy(() -> json.readValue("{\"type\":\"extendBlob\",\"objectId\":\"0x1\",\"epochs\":true}",
                Command.class));
    }

    @Test
    void shouldRoundTripEventsWithTheirType() throws Exception {
        Event e = new Event.BlobDeleted(5, 2, "blob", "0x01", true);
        String text = json.writeValueAsString(e);
        assertThat(text).startsWith("{\"type\":\"blobDeleted\",\"cursor\":5,\"epoch\":2");
        assertThat(json.readValue(text, Event.class)).isEqualTo(e);
    }
}
