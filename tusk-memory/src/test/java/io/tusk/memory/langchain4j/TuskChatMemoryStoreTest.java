package io.tusk.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.tusk.memory.InMemorySpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LangChain4j's ChatMemoryStore contract: update replaces, read back equal, delete, and another client sees it. */
class TuskChatMemoryStoreTest {

    private final InMemorySpace space = new InMemorySpace("chat", true);
    private final TuskChatMemoryStore store = new TuskChatMemoryStore(space);

    @Test
    void shouldUpdateReadAndDeleteMessages() {
        assertThat(store.getMessages("u1")).isEmpty();
        List<ChatMessage> messages = List.of(SystemMessage.from("be kind"), UserMessage.from("hi"), AiMessage.from("hello"));
        store.updateMessages("u1", messages);
        assertThat(store.getMessages("u1")).isEqualTo(messages);
        store.deleteMessages("u1");
        assertThat(store.getMessages("u1")).isEmpty();
    }

    @Test
    void shouldKeepConversationsApartAndVisibleToAnotherClient() {
        store.updateMessages("a", List.of(UserMessage.from("first")));
        store.updateMessages("b", List.of(UserMessage.from("other")));
        store.updateMessages("a", List.of(UserMessage.from("first"), AiMessage.from("second")));

        TuskChatMemoryStore another = new TuskChatMemoryStore(space);
        assertThat(another.getMessages("a")).containsExactly(UserMessage.from("first"), AiMessage.from("second"));
        assertThat(another.getMessages("b")).containsExactly(UserMessage.from("other"));
        assertThat(space.headVersion()).isEqualTo(3);
    }
}
