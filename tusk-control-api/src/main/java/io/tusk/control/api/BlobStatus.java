package io.tusk.control.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The aggregate status of a blob ID over all its live (registered, not deleted, not expired) objects, in the JSON shape
 * of the Walrus storage node's blob status: the string {@code "nonexistent"}, or an object with one key,
 * {@code invalid}, {@code permanent} or {@code deletable}.
 *
 * <p>One difference from Walrus: Walrus names the deciding event by Sui transaction digest and sequence number; Tusk
 * names it by its control-plane event cursor, {@code {"cursor": N}}.
 */
@JsonSerialize(using = BlobStatus.Serializer.class)
@JsonDeserialize(using = BlobStatus.Deserializer.class)
public sealed interface BlobStatus {

    /** No live object of this blob ID exists. */
    record Nonexistent() implements BlobStatus {}

    /** The blob ID was marked invalid by an inconsistency proof. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Invalid(EventRef event) implements BlobStatus {
        public Invalid {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * At least one permanent object exists. {@code endEpoch} and {@code statusEvent} are those of the latest-ending
     * certified permanent object, or of the latest-ending registered one if none is certified.
     */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Permanent(int endEpoch, boolean isCertified, EventRef statusEvent, DeletableCounts deletableCounts,
                     Integer initialCertifiedEpoch) implements BlobStatus {
        public Permanent {
            Objects.requireNonNull(statusEvent, "statusEvent");
            Objects.requireNonNull(deletableCounts, "deletableCounts");
        }
    }

    /** Only deletable objects exist. */
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Deletable(Integer initialCertifiedEpoch, DeletableCounts deletableCounts) implements BlobStatus {
        public Deletable {
            Objects.requireNonNull(deletableCounts, "deletableCounts");
        }
    }

    /** Live deletable objects of the blob ID, all and certified. */
    record DeletableCounts(long countDeletableTotal, long countDeletableCertified) {}

    /** The control-plane event that decided a status. */
    record EventRef(long cursor) {}

    /**
     * Writes the Walrus shape by hand: the variants are serialized by their runtime type, so the wrapper key cannot
     * come from the interface's annotation alone.
     */
    final class Serializer extends JsonSerializer<BlobStatus> {
        @Override
        public void serialize(BlobStatus status, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            switch (status) {
                case Nonexistent n -> gen.writeString("nonexistent");
                case Invalid v -> {
                    gen.writeStartObject();
                    gen.writeObjectFieldStart("invalid");
                    writeEvent(gen, "event", v.event());
                    gen.writeEndObject();
                    gen.writeEndObject();
                }
                case Permanent p -> {
                    gen.writeStartObject();
                    gen.writeObjectFieldStart("permanent");
                    gen.writeNumberField("endEpoch", p.endEpoch());
                    gen.writeBooleanField("isCertified", p.isCertified());
                    writeEvent(gen, "statusEvent", p.statusEvent());
                    writeCounts(gen, p.deletableCounts());
                    writeOptionalEpoch(gen, p.initialCertifiedEpoch());
                    gen.writeEndObject();
                    gen.writeEndObject();
                }
                case Deletable d -> {
                    gen.writeStartObject();
                    gen.writeObjectFieldStart("deletable");
                    writeOptionalEpoch(gen, d.initialCertifiedEpoch());
                    writeCounts(gen, d.deletableCounts());
                    gen.writeEndObject();
                    gen.writeEndObject();
                }
            }
        }

        private static void writeEvent(JsonGenerator gen, String name, EventRef event) throws IOException {
            gen.writeObjectFieldStart(name);
            gen.writeNumberField("cursor", event.cursor());
            gen.writeEndObject();
        }

        private static void writeCounts(JsonGenerator gen, DeletableCounts counts) throws IOException {
            gen.writeObjectFieldStart("deletableCounts");
            gen.writeNumberField("countDeletableTotal", counts.countDeletableTotal());
            gen.writeNumberField("countDeletableCertified", counts.countDeletableCertified());
            gen.writeEndObject();
        }

        private static void writeOptionalEpoch(JsonGenerator gen, Integer epoch) throws IOException {
            if (epoch == null) {
                gen.writeNullField("initialCertifiedEpoch");
            } else {
                gen.writeNumberField("initialCertifiedEpoch", epoch);
            }
        }
    }

    final class Deserializer extends JsonDeserializer<BlobStatus> {
        @Override
        public BlobStatus deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                if (text.equals("nonexistent")) {
                    return new Nonexistent();
                }
                return context.reportInputMismatch(BlobStatus.class, "unknown blob status '%s'", text);
            }
            JsonNode node = context.readTree(parser);
            if (!node.isObject() || node.size() != 1) {
                return context.reportInputMismatch(BlobStatus.class,
                        "blob status must be \"nonexistent\" or an object with one key");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            Map.Entry<String, JsonNode> only = fields.next();
            Class<? extends BlobStatus> type = switch (only.getKey()) {
                case "invalid" -> Invalid.class;
                case "permanent" -> Permanent.class;
                case "deletable" -> Deletable.class;
                default -> null;
            };
            if (type == null) {
                return context.reportInputMismatch(BlobStatus.class, "unknown blob status '%s'", only.getKey());
            }
            JsonParser inner = only.getValue().traverse(parser.getCodec());
            inner.nextToken();
            return context.readValue(inner, type);
        }
    }
}
