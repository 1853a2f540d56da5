package io.tusk.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.crypto.Ed25519PublicKey;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The Jackson configuration every Tusk service and client shares.
 *
 * <p>Strict reading: unknown properties, nulls for primitives and trailing tokens are errors. Records and
 * {@code byte[]} (standard base64 with padding) work out of the box. {@link #module()} adds the text forms of the
 * core types:
 * <ul>
 *   <li>{@link BlobId}: URL-safe base64 without padding;</li>
 *   <li>{@link Address}, {@link ObjectId}: {@code 0x} + 64 hex digits (short forms accepted on input);</li>
 *   <li>{@link BlsPublicKey}, {@link BlsSignature}, {@link Ed25519PublicKey}: standard base64;</li>
 *   <li>{@link SignedMessage}: {@code {"serializedMessage":…,"signature":…}};</li>
 *   <li>{@link ConfirmationCertificate}: {@code {"signers":[…],"serializedMessage":…,"signature":…}}.</li>
 * </ul>
 */
public final class TuskJson {
    private static final ObjectMapper MAPPER = newMapper();

    private TuskJson() {
    }

    /** The shared mapper. Thread-safe; do not reconfigure it (use {@link #newMapper()} for a variant). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(module())
                .build();
    }

    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("tusk-core");
        text(module, BlobId.class, BlobId::toString, BlobId::parse);
        text(module, Address.class, Address::toString, Address::parse);
        text(module, ObjectId.class, ObjectId::toString, ObjectId::parse);
        text(module, BlsPublicKey.class, BlsPublicKey::toBase64, BlsPublicKey::fromBase64);
        text(module, BlsSignature.class, BlsSignature::toBase64, BlsSignature::fromBase64);
        text(module, Ed25519PublicKey.class, Ed25519PublicKey::toBase64, Ed25519PublicKey::fromBase64);
        module.addSerializer(SignedMessage.class, new JsonSerializer<>() {
            @Override
            public void serialize(SignedMessage value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                gen.writeStartObject();
                gen.writeStringField("serializedMessage", value.serializedMessageBase64());
                gen.writeStringField("signature", value.signatureBase64());
                gen.writeEndObject();
            }
        });
        module.addDeserializer(SignedMessage.class, new JsonDeserializer<>() {
            @Override
            public SignedMessage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                JsonNode node = object(p, ctxt, SignedMessage.class, "serializedMessage", "signature");
                try {
                    return SignedMessage.fromBase64(node.get("serializedMessage").textValue(),
                            node.get("signature").textValue());
                } catch (IllegalArgumentException e) {
                    return ctxt.reportInputMismatch(SignedMessage.class, "invalid signed message: %s", e.getMessage());
                }
            }
        });
        module.addSerializer(ConfirmationCertificate.class, new JsonSerializer<>() {
            @Override
            public void serialize(ConfirmationCertificate value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                gen.writeStartObject();
                gen.writeArrayFieldStart("signers");
                for (int signer : value.signers()) {
                    gen.writeNumber(signer);
                }
                gen.writeEndArray();
                gen.writeStringField("serializedMessage",
                        Base64.getEncoder().encodeToString(value.serializedMessage()));
                gen.writeStringField("signature", value.aggregateSignature().toBase64());
                gen.writeEndObject();
            }
        });
        module.addDeserializer(ConfirmationCertificate.class, new JsonDeserializer<>() {
            @Override
            public ConfirmationCertificate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                JsonNode node = object(p, ctxt, ConfirmationCertificate.class, "signers", "serializedMessage",
                        "signature");
                try {
                    JsonNode signersNode = node.get("signers");
                    if (!signersNode.isArray()) {
                        throw new IllegalArgumentException("signers must be an array of indices");
                    }
                    List<Integer> signers = new ArrayList<>();
                    for (JsonNode signer : signersNode) {
                        if (!signer.canConvertToExactIntegral() || !signer.canConvertToInt()) {
                            throw new IllegalArgumentException("signer index must be an integer, got " + signer);
                        }
                        signers.add(signer.intValue());
                    }
                    SignedMessage signed = SignedMessage.fromBase64(node.get("serializedMessage").textValue(),
                            node.get("signature").textValue());
                    return new ConfirmationCertificate(signers, signed.serializedMessage(), signed.signature());
                } catch (IllegalArgumentException e) {
                    return ctxt.reportInputMismatch(ConfirmationCertificate.class, "invalid certificate: %s",
                            e.getMessage());
                }
            }
        });
        return module;
    }

    /** Reads an object that must have exactly the given fields. */
    private static JsonNode object(JsonParser p, DeserializationContext ctxt, Class<?> type, String... fields)
            throws IOException {
        JsonNode node = ctxt.readTree(p); // not p.readValueAsTree(): that checks trailing tokens mid-document
        if (node == null || !node.isObject()) {
            ctxt.reportInputMismatch(type, "expected an object with fields %s", List.of(fields));
        }
        for (String field : fields) {
            if (!node.has(field) || node.get(field).isNull()) {
                ctxt.reportInputMismatch(type, "missing field '%s'", field);
            }
        }
        if (node.size() != fields.length) {
            ctxt.reportInputMismatch(type, "unknown field; expected only %s", List.of(fields));
        }
        return node;
    }

    private static <T> void text(SimpleModule module, Class<T> type, Function<T, String> format,
                                 Function<String, T> parse) {
        module.addSerializer(type, new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format.apply(value));
            }
        });
        module.addDeserializer(type, new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                    return ctxt.reportInputMismatch(type, "%s must be a JSON string", type.getSimpleName());
                }
                try {
                    return parse.apply(p.getText());
                } catch (IllegalArgumentException e) {
                    return ctxt.reportInputMismatch(type, "%s", e.getMessage());
                }
            }
        });
    }
}
