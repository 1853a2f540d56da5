package io.tusk.memory.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.memory.space.MemorySpace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.memory.ChatMemoryRepository;

/**
 * A Spring AI {@link ChatMemoryRepository} on a space: each conversation is the entry {@code springai-chat/<id>}
 * holding its messages as JSON (type, text, metadata, tool calls and tool responses); saving one is a commit, so
 * earlier states stay in the space's history; deleting forgets the entry. Thread-safe.
 */
public final class TuskChatMemoryRepository implements ChatMemoryRepository {

    static final String PREFIX = "springai-chat/";
    private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,256}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MemorySpace space;

    public TuskChatMemoryRepository(MemorySpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    @Override
    public List<String> findConversationIds() {
        return space.keys(PREFIX).stream().map(key -> key.substring(PREFIX.length())).toList();
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        return space.read(key(conversationId)).map(TuskChatMemoryRepository::fromJson).orElse(List.of());
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        Objects.requireNonNull(messages, "messages");
        space.commit(List.of(new MemorySpace.Put(key(conversationId), toJson(messages))));
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        space.forget(List.of(key(conversationId)));
    }

    static String key(String conversationId) {
        if (conversationId == null || !CONVERSATION_ID.matcher(conversationId).matches()) {
            throw new IllegalArgumentException("conversation id " + (conversationId == null ? "null"
                    : "'" + conversationId + "'") + " is invalid: use 1-256 of A-Z a-z 0-9 . _ : @ -");
        }
        return PREFIX + conversationId;
    }

    private static byte[] toJson(List<Message> messages) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Message message : messages) {
            ObjectNode node = array.addObject();
            node.put("type", message.getMessageType().name());
            node.put("text", message.getText());
            node.set("metadata", MAPPER.valueToTree(message.getMetadata()));
            if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
                ArrayNode calls = node.putArray("toolCalls");
                for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
                    calls.addObject().put("id", call.id()).put("type", call.type()).put("name", call.name())
                            .put("arguments", call.arguments());
                }
            }
            if (message instanceof ToolResponseMessage tool) {
                ArrayNode responses = node.putArray("responses");
                for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
                    responses.addObject().put("id", response.id()).put("name", response.name())
                            .put("responseData", response.responseData());
                }
            }
        }
        try {
            return MAPPER.writeValueAsBytes(array);
        } catch (IOException e) {
            throw new IllegalArgumentException("messages cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Message> fromJson(byte[] bytes) {
        try {
            List<Message> messages = new ArrayList<>();
            for (JsonNode node : MAPPER.readTree(bytes)) {
                String text = node.path("text").isNull() ? null : node.path("text").asText();
                Map<String, Object> metadata = MAPPER.convertValue(node.path("metadata"), Map.class);
                metadata = metadata == null ? Map.of() : metadata;
                messages.add(switch (node.get("type").asText()) {
                    case "USER" -> UserMessage.builder().text(text).metadata(metadata).build();
                    case "SYSTEM" -> SystemMessage.builder().text(text).metadata(metadata).build();
                    case "ASSISTANT" -> {
                        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
                        for (JsonNode call : node.path("toolCalls")) {
                            calls.add(new AssistantMessage.ToolCall(call.get("id").asText(), call.get("type").asText(),
                                    call.get("name").asText(), call.get("arguments").asText()));
                        }
                        yield AssistantMessage.builder().content(text).properties(metadata).toolCalls(calls).build();
                    }
                    case "TOOL" -> {
                        List<ToolResponseMessage.ToolResponse> responses = new ArrayList<>();
                        for (JsonNode r : node.path("responses")) {
                            responses.add(new ToolResponseMessage.ToolResponse(r.get("id").asText(),
                                    r.get("name").asText(), r.get("responseData").asText()));
                        }
                        yield ToolResponseMessage.builder().responses(responses).metadata(metadata).build();
                    }
                    default -> throw new IllegalArgumentException("unknown message type " + node.get("type"));
                });
            }
            return messages;
        } catch (IOException e) {
            throw new IllegalStateException("stored conversation is not valid JSON: " + e.getMessage(), e);
        }
    }
}
