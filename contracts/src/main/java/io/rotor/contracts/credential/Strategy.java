package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rotor.contracts.saga.Step;
import java.util.List;

/** How a credential changes, which decides the saga's steps. */
public enum Strategy {
    /** Two passwords valid at once: add the new one, retire the old after it is everywhere. */
    @JsonProperty("dual-password")
    DUAL_PASSWORD("dual-password", true,
            List.of(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN, Step.WORKLOADS_RESTARTED, Step.OLD_REVOKED)),
    /** A new identity (user, application credential) beside the old; the old is deleted at the end. */
    @JsonProperty("new-identity")
    NEW_IDENTITY("new-identity", true,
            List.of(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN, Step.WORKLOADS_RESTARTED, Step.OLD_REVOKED)),
    /** One password at a time: consumers fail between the change and their restart, so the saga only goes forward. */
    @JsonProperty("replace")
    REPLACE("replace", false, List.of(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN, Step.WORKLOADS_RESTARTED)),
    /** An operator changes the password in the product's UI and confirms; the rest is automatic. */
    @JsonProperty("manual")
    MANUAL("manual", false, List.of(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN, Step.WORKLOADS_RESTARTED));

    private final String value;
    private final boolean overlap;
    private final List<Step> steps;

    Strategy(String value, boolean overlap, List<Step> steps) {
        this.value = value;
        this.overlap = overlap;
        this.steps = steps;
    }

    public String value() {
        return value;
    }

    /** Old and new are valid at once, so a failure after the platform change can be rolled back. */
    public boolean overlap() {
        return overlap;
    }

    /** The forward steps of a rotation under this strategy, in order. */
    public List<Step> steps() {
        return steps;
    }
}
