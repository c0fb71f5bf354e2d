package io.rotor.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageLimitTest {

    @Test
    void aMessageThatFitsIsKeptAsItIs() {
        String fits = "x".repeat(MessageLimit.MAX_CHARS);

        assertThat(MessageLimit.apply(fits)).isSameAs(fits);
    }

    @Test
    void aLongerMessageIsCutToTheLimitWithAnEllipsis() {
        String cut = MessageLimit.apply("x".repeat(MessageLimit.MAX_CHARS + 500));

        assertThat(cut).hasSize(MessageLimit.MAX_CHARS).endsWith("x…");
    }

    @Test
    void theLimitLeavesRoomUnderWhatEventsAccept() {
        assertThat(MessageLimit.MAX_CHARS).isLessThan(EventFields.MAX_MESSAGE);
    }
}
