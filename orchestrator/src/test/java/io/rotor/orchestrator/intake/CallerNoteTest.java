package io.rotor.orchestrator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerNoteTest {

    @Test
    void aNameTheClientWroteIsOnlyANoteBesideTheReason() {
        assertThat(CallerNote.append("quarterly", "the-boss", "rita@example.com"))
                .isEqualTo("quarterly (caller's note: on behalf of the-boss)");
        assertThat(CallerNote.append(null, "the-boss", "rita")).isEqualTo("(caller's note: on behalf of the-boss)");
        assertThat(CallerNote.append("quarterly", "rita", "rita")).as("the caller's own name adds nothing")
                .isEqualTo("quarterly");
        assertThat(CallerNote.append("quarterly", null, "rita")).isEqualTo("quarterly");
    }
}
