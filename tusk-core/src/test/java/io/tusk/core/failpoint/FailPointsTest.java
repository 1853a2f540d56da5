package io.tusk.core.failpoint;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailPointsTest {
    @AfterEach
    void disarm() {
        FailPoints.disarmAll();
    }

    @Test
    void shouldPassUnarmedPoints() {
        assertThatCode(() -> FailPoints.hitIo("test.unarmed")).doesNotThrowAnyException();
        assertThatCode(() -> FailPoints.hit("test.unarmed")).doesNotThrowAnyException();
        assertThat(FailPoints.hits("test.unarmed")).isZero();
    }

    @Test
    void shouldFailArmedPointsWithTheirName() {
        FailPoints.armError("test.write");
        assertThatThrownBy(() -> FailPoints.hitIo("test.write")).isInstanceOf(IOException.class)
                .hasMessageContaining("test.write");
        assertThatThrownBy(() -> FailPoints.hit("test.write")).isInstanceOf(FailPoints.FailPointException.class)
                .hasMessageContaining("test.write");
        assertThatCode(() -> FailPoints.hitIo("test.other")).doesNotThrowAnyException();
        assertThat(FailPoints.hits("test.write")).isEqualTo(2);
        FailPoints.disarm("test.write");
        assertThatCode(() -> FailPoints.hitIo("test.write")).doesNotThrowAnyException();
    }

    @Test
    void shouldParseActionsFromTheProperty() throws IOException {
        var actions = FailPoints.parse(" a.b=error*2 ; c.d=crash@3;e.f=sleep(1);g.h=error");
        assertThat(actions).containsOnlyKeys("a.b", "c.d", "e.f", "g.h");
        FailPoints.arm("a.b", actions.get("a.b"));
        assertThatThrownBy(() -> FailPoints.hitIo("a.b")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> FailPoints.hitIo("a.b")).isInstanceOf(IOException.class);
        FailPoints.hitIo("a.b"); // the third hit passes
        FailPoints.arm("c.d", actions.get("c.d"));
        FailPoints.hitIo("c.d"); // crash@3: the first two hits pass (the third would halt this JVM)
        FailPoints.hitIo("c.d");
        assertThat(FailPoints.hits("c.d")).isEqualTo(2);
    }

    @Test
    void shouldRefuseBadSpecsByEntry() {
        assertThatThrownBy(() -> FailPoints.parse("a.b")).hasMessageContaining("'a.b' is not name=action");
        assertThatThrownBy(() -> FailPoints.parse("a.b=explode")).hasMessageContaining("unknown action 'explode'");
        assertThatThrownBy(() -> FailPoints.parse("a.b=error*0")).hasMessageContaining("bad number in 'a.b=error*0'");
    }
}
