package io.tusk.memory.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import io.tusk.memory.space.MemorySpace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A LangChain4j {@link ChatMemoryStore} on a space: each conversation is the entry {@code chat/<memoryId>} holding
 * LangChain4j's own JSON of its messages; every update is a commit (so past states of a conversation stay in the
 * space's history), and delete forgets the entry (its data key destroyed in an encrypted space). Thread-safe.
 */
public final class TuskChatMemoryStore implements ChatMemoryStore {

    static final String PREFIX = "chat/";
    private static final Pattern MEMORY_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,256}");

    private final MemorySpace space;

    public TuskChatMemoryStore(MemorySpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        return space.read(key(memoryId))
                .map(bytes -> ChatMessageDeserializer.messagesFromJson(new String(bytes, StandardCharsets.UTF_8)))
                .orElse(List.of());
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        byte[] json = ChatMessageSerializer.messagesToJson(messages).getBytes(StandardCharsets.UTF_8);
        space.commit(List.of(new MemorySpace.Put(key(memoryId), json)));
    }

    @Override
    public void deleteMessages(Object memoryId) {
        space.forget(List.of(key(memoryId)));
    }

    static String key(Object memoryId) {
        Objects.requireNonNull(memoryId, "memoryId");
        String id = memoryId.toString();
        if (!MEMORY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("chat memory id '" + id
                    + "' is invalid: use 1-256 of A-Z a-z 0-9 . _ : @ -");
        }
        return PREFIX + id;
    }
}
