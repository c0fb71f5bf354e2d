package io.rotor.orchestrator.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentialStatus;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.envelope.StrictJson;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Violation;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns a ManagedCredential as the API server returns it into a {@link RegisteredCredential}: the spec is read with
 * the strict rules events use (unknown fields and wrong types are problems, not silently dropped), then validated.
 * The API server checks the CRD schema too, but a spec can still be semantically wrong (a strategy the platform does
 * not offer), and a cluster may run an older CRD.
 */
public final class ManagedCredentialReader {

    private final StrictJson strict = new StrictJson();
    private final ScheduleCalculator schedules = new ScheduleCalculator();
    /** Status is written by the orchestrator itself; a newer version's extra fields must not hide the rest. */
    private final ObjectMapper lenient = EventJson.newMapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final EndpointPolicy policy;

    public ManagedCredentialReader(EndpointPolicy policy) {
        this.policy = policy;
    }

    public RegisteredCredential read(GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        CredentialRef ref = new CredentialRef(meta.getNamespace(), meta.getName());
        long generation = meta.getGeneration() == null ? 0 : meta.getGeneration();
        Instant created = parseTime(meta.getCreationTimestamp());
        Object rawSpec = resource.getAdditionalProperties().get("spec");
        ManagedCredentialSpec spec = null;
        List<Violation> problems = List.of();
        if (rawSpec == null) {
            problems = List.of(new Violation("spec", "is required"));
        } else {
            try {
                JsonNode node = strict.mapper().valueToTree(rawSpec);
                spec = strict.read(node, ManagedCredentialSpec.class, "spec");
                if (spec.schedule() != null && spec.schedule().cron() != null) {
                    String cron = spec.schedule().cron();
                    problems = schedules.cronProblem(cron).map(p -> List.of(new Violation("spec.schedule.cron", p)))
                            .orElse(List.of());
                }
            } catch (ValidationException e) {
                problems = e.violations();
            }
            if (problems.isEmpty()) {
                // Where the credential may be sent is the cluster's decision, not its author's.
                problems = policy.check(ref.namespace(), spec);
            }
        }
        return new RegisteredCredential(ref, meta.getUid(), generation, created, problems.isEmpty() ? spec : null,
                problems, status(resource.getAdditionalProperties().get("status")));
    }

    private ManagedCredentialStatus status(Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return lenient.convertValue(raw, ManagedCredentialStatus.class);
        } catch (IllegalArgumentException e) {
            // A status someone else scribbled on; the orchestrator rewrites it at the next outcome.
            return null;
        }
    }

    private static Instant parseTime(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
