package io.tusk.memory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.memory.InMemorySpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/** Spring AI's ChatMemoryRepository contract: save replaces, find by id, list ids, delete; every message type. */
class TuskChatMemoryRepositoryTest {

    private final InMemorySpace space = new InMemorySpace("chats", true);
    private final TuskChatMemoryRepository repository = new TuskChatMemoryRepository(space);

    @Test
    void shouldSaveReplaceFindListAndDeleteConversations() {
        assertThat(repository.findConversationIds()).isEmpty();
        assertThat(repository.findByConversationId("c1")).isEmpty();

        repository.saveAll("c1", List.of(new UserMessage("hello")));
        repository.saveAll("c1", List.of(new UserMessage("hello"), new AssistantMessage("hi there")));
        repository.saveAll("c2", List.of(new SystemMessage("be brief")));

        assertThat(repository.findConversationIds()).containsExactly("c1", "c2");
        assertThat(repository.findByConversationId("c1")).extracting(Message::getText)
                .containsExactly("hello", "hi there");

        repository.deleteByConversationId("c1");
        assertThat(repository.findConversationIds()).containsExactly("c2");
        assertThat(repository.findByConversationId("c1")).isEmpty();
        assertThat(space.headVersion()).isEqualTo(4);
    }

    @Test
    void shouldKeepEveryMessageTypeWithToolCallsAndMetadata() {
        List<Message> messages = List.of(
                SystemMessage.builder().text("system").metadata(Map.of("k", "v")).build(),
                UserMessage.builder().text("what is the weather?").metadata(Map.of("n", 1)).build(),
                AssistantMessage.builder().content("").toolCalls(List.of(
                        new AssistantMessage.ToolCall("t1", "function", "weather", "{\"city\":\"Oslo\"}"))).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("t1", "weather", "{\"celsius\":3}"))).build(),
                new AssistantMessage("3 degrees in Oslo"));
        repository.saveAll("weather", messages);

        List<Message> back = repository.findByConversationId("weather");

        assertThat(back).extracting(Message::getMessageType).containsExactlyElementsOf(
                messages.stream().map(Message::getMessageType).toList());
        assertThat(back.get(0).getMetadata()).containsEntry("k", "v");
        assertThat(((AssistantMessage) back.get(2)).getToolCalls()).containsExactly(
                new AssistantMessage.ToolCall("t1", "function", "weather", "{\"city\":\"Oslo\"}"));
        assertThat(((ToolResponseMessage) back.get(3)).getResponses()).containsExactly(
                new ToolResponseMessage.ToolResponse("t1", "weather", "{\"celsius\":3}"));
        assertThat(back.get(4).getText()).isEqualTo("3 degrees in Oslo");
    }

    @Test
    void shouldRefuseBadConversationIds() {
        assertThatThrownBy(() -> repository.saveAll("../x", List.of())).hasMessageContaining("'../x' is invalid");
        assertThatThrownBy(() -> repository.findByConversationId(null)).hasMessageContaining("null");
    }
}
