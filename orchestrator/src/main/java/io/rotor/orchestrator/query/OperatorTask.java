package io.rotor.orchestrator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What a manual rotation asks of its operator, for dashboards: the instructions and the deadline from
 * {@code RotationAwaitingOperator}, and whether (and by whom) it was confirmed. A confirmation the rotator refused
 * (a mistyped password) makes it unconfirmed again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorTask(List<String> instructions, Instant deadline, boolean confirmed, String confirmedBy) {
}
