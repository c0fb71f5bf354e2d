package io.rotor.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ApiError;
import io.rotor.kit.secret.SecretData;
import io.rotor.kit.secret.SecretLayout;
import io.rotor.kit.secret.SecretLayoutException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Writes a credential into one Secret, and restores it on rollback, with optimistic concurrency: read, change in
 * memory, update with the resourceVersion that was read; on 409 (someone else wrote in between) read again and redo
 * the change on top of theirs, so no concurrent edit is ever overwritten blindly.
 *
 * <p>Idempotent per rotation: a Secret that already holds the rotation's value (a redelivered event) is not written
 * again.
 */
final class SecretTargetWriter {

    /** On a Secret Rotor created: the rotation that created it, so a rollback can remove it again. */
    static final String CREATED_FOR_ANNOTATION = "rotor.io/created-for-rotation";
    static final String RESTORED_FROM_ANNOTATION = "rotor.io/restored-from";
    static final String RESTORED_AT_ANNOTATION = "rotor.io/restored-at";

    private static final Logger LOG = Logger.getLogger(SecretTargetWriter.class);

    /** What happened to one Secret. */
    enum Outcome {
        /** The new value was written over the previous one (kept in {@link Result#previous()}). */
        WRITTEN,
        /** The Secret did not exist and was created ({@code create: true}). */
        CREATED,
        /** It held this rotation's value already: nothing written. */
        UNCHANGED,
        /** It held the value already but not the rotation's annotations; only those were written. */
        ANNOTATED,
        /** Rollback: the previous value is back. */
        RESTORED,
        /** Rollback: the Secret had been created by this rotation and was deleted. */
        DELETED,
        /** Rollback: this rotation had not written the Secret (or a later writer changed it): left alone. */
        NOT_WRITTEN_BY_ROTATION
    }

    record Result(String secret, Outcome outcome, String resourceVersion, String previous) {
    }

    private final KubernetesClient client;
    private final ApiCalls api;
    private final PreviousVersions previousVersions;
    private final Clock clock;
    private final int conflictAttempts;

    SecretTargetWriter(KubernetesClient client, ApiCalls api, PreviousVersions previousVersions, Clock clock,
            int conflictAttempts) {
        this.client = client;
        this.api = api;
        this.previousVersions = previousVersions;
        this.clock = clock;
        this.conflictAttempts = conflictAttempts;
    }

    Result write(CredentialRef credential, SecretTarget target, Map<CredentialField, SecretValue> fields,
            String rotationId) {
        String namespace = credential.namespace();
        String ref = namespace + "/" + target.name();
        SecretLayout layout = layout(target, ref);
        for (int attempt = 1; attempt <= conflictAttempts; attempt++) {
            Secret current = get(namespace, target.name());
            try {
                Result result = current == null
                        ? create(credential, target, layout, fields, rotationId)
                        : update(requireOptedIn(current, credential), layout, fields, rotationId);
                if (result.outcome() == Outcome.WRITTEN) {
                    previousVersions.prune(namespace, target.name(), result.previous());
                }
                return result;
            } catch (KubernetesClientException e) {
                ApiError error = ApiError.of(e);
                if (error != ApiError.CONFLICT && error != ApiError.ALREADY_EXISTS && error != ApiError.NOT_FOUND) {
                    throw WriteFailure.of(e, "writing Secret " + ref);
                }
                LOG.infof("Secret %s changed under us (%s), attempt %d of %d: reading it again", ref,
                        ApiError.describe(e), attempt, conflictAttempts);
            } catch (SecretLayoutException e) {
                throw WriteFailure.of(e, ref);
            }
        }
        throw new WriteFailure(WriteFailure.Reason.CONFLICT_PERSISTS, "Secret " + ref + " was changed by someone else "
                + conflictAttempts + " times between our read and our write; giving up rather than overwrite it");
    }

    private Result create(CredentialRef credential, SecretTarget target, SecretLayout layout,
            Map<CredentialField, SecretValue> fields, String rotationId) {
        String namespace = credential.namespace();
        String ref = namespace + "/" + target.name();
        if (!target.createIfMissing()) {
            throw new WriteFailure(WriteFailure.Reason.SECRET_NOT_FOUND, "Secret " + ref
                    + " does not exist; create it, or set create: true on it in the ManagedCredential");
        }
        Map<String, byte[]> data = layout.write(new TreeMap<>(), fields);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(target.name())
                .withNamespace(namespace)
                .addToLabels(PreviousVersions.MANAGED_BY_LABEL, PreviousVersions.MANAGED_BY)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, credential.name())
                .withAnnotations(rotationAnnotations(Map.of(), rotationId, null))
                .addToAnnotations(CREATED_FOR_ANNOTATION, rotationId)
                .endMetadata()
                .withType("Opaque")
                .withData(SecretData.encode(data))
                .build();
        Secret created = api.call("creating Secret " + ref, () -> client.secrets().inNamespace(namespace).resource(secret).create());
        LOG.infof("created Secret %s (keys %s)", ref, layout.dataKeys());
        return new Result(target.name(), Outcome.CREATED, created.getMetadata().getResourceVersion(), null);
    }

    private Result update(Secret current, SecretLayout layout, Map<CredentialField, SecretValue> fields,
            String rotationId) {
        String ref = current.getMetadata().getNamespace() + "/" + current.getMetadata().getName();
        if (Boolean.TRUE.equals(current.getImmutable())) {
            throw new WriteFailure(WriteFailure.Reason.SECRET_IMMUTABLE, "Secret " + ref
                    + " is immutable; Kubernetes allows no change to it. Make it mutable, or recreate it, and retry");
        }
        Map<String, byte[]> data = SecretData.of(current);
        Map<String, byte[]> desired = layout.write(data, fields);
        boolean sameData = SecretData.same(data, desired);
        boolean ours = rotationId.equals(PreviousVersions.annotation(current, ManagedCredentials.ROTATION_ANNOTATION));
        if (sameData && ours) {
            LOG.infof("Secret %s already holds this rotation's value; not written again", ref);
            return new Result(current.getMetadata().getName(), Outcome.UNCHANGED,
                    current.getMetadata().getResourceVersion(),
                    PreviousVersions.annotation(current, ManagedCredentials.PREVIOUS_ANNOTATION));
        }
        String previous = sameData ? null : previousVersions.keep(current, rotationId);
        Map<String, String> annotations = rotationAnnotations(current.getMetadata().getAnnotations(), rotationId, previous);
        Secret changed = new SecretBuilder(current)
                .editMetadata().withAnnotations(annotations).endMetadata()
                .withData(SecretData.encode(desired))
                .withStringData(null)
                .build();
        // The resourceVersion read above goes with the update: a concurrent change makes it fail with 409.
        Secret updated = api.call("updating Secret " + ref,
                () -> client.secrets().inNamespace(current.getMetadata().getNamespace()).resource(changed).update());
        LOG.infof("%s Secret %s (keys %s, resourceVersion %s)", sameData ? "annotated" : "wrote", ref,
                layout.dataKeys(), updated.getMetadata().getResourceVersion());
        return new Result(current.getMetadata().getName(), sameData ? Outcome.ANNOTATED : Outcome.WRITTEN,
                updated.getMetadata().getResourceVersion(), previous);
    }

    /**
     * Rollback: puts back the keys the rotation changed, from the companion saved before its first write; keys the
     * rotation did not touch keep whatever they hold now.
     */
    Result restore(CredentialRef credential, SecretTarget target, String rotationId) {
        String namespace = credential.namespace();
        String ref = namespace + "/" + target.name();
        SecretLayout layout = layout(target, ref);
        for (int attempt = 1; attempt <= conflictAttempts; attempt++) {
            Secret current = get(namespace, target.name());
            if (current == null
                    || !rotationId.equals(PreviousVersions.annotation(current, ManagedCredentials.ROTATION_ANNOTATION))) {
                LOG.infof("Secret %s was not written by this rotation (or was changed since); nothing to restore", ref);
                return new Result(target.name(), Outcome.NOT_WRITTEN_BY_ROTATION,
                        current == null ? null : current.getMetadata().getResourceVersion(), null);
            }
            requireOptedIn(current, credential);
            try {
                if (rotationId.equals(PreviousVersions.annotation(current, CREATED_FOR_ANNOTATION))) {
                    api.run("deleting Secret " + ref, () -> client.secrets().inNamespace(namespace).resource(current).delete());
                    LOG.infof("deleted Secret %s, which this rotation had created", ref);
                    return new Result(target.name(), Outcome.DELETED, null, null);
                }
                return restoreFromCompanion(current, layout, rotationId);
            } catch (KubernetesClientException e) {
                ApiError error = ApiError.of(e);
                if (error != ApiError.CONFLICT && error != ApiError.NOT_FOUND) {
                    throw WriteFailure.of(e, "restoring Secret " + ref);
                }
                LOG.infof("Secret %s changed under us (%s), attempt %d of %d: reading it again", ref,
                        ApiError.describe(e), attempt, conflictAttempts);
            }
        }
        throw new WriteFailure(WriteFailure.Reason.CONFLICT_PERSISTS, "Secret " + ref + " was changed by someone else "
                + conflictAttempts + " times while it was being restored; giving up rather than overwrite it");
    }

    private Result restoreFromCompanion(Secret current, SecretLayout layout, String rotationId) {
        String namespace = current.getMetadata().getNamespace();
        String ref = namespace + "/" + current.getMetadata().getName();
        String previousName = PreviousVersions.annotation(current, ManagedCredentials.PREVIOUS_ANNOTATION);
        if (previousName == null || !previousName.equals(PreviousVersions.companionName(current.getMetadata().getName(),
                rotationId))) {
            // The rotation only annotated it: the value was already the new one before, so it is what it was.
            return new Result(current.getMetadata().getName(), Outcome.UNCHANGED,
                    current.getMetadata().getResourceVersion(), null);
        }
        Secret companion = previousVersions.find(namespace, previousName, rotationId)
                .orElseThrow(() -> new WriteFailure(WriteFailure.Reason.PREVIOUS_MISSING, "the previous version of Secret "
                        + ref + " (" + previousName + ") is gone; restore the Secret by hand"));
        Map<String, byte[]> data = SecretData.of(current);
        Map<String, byte[]> before = SecretData.of(companion);
        Map<String, byte[]> restored = new TreeMap<>(data);
        for (String key : layout.dataKeys()) {
            if (before.containsKey(key)) {
                restored.put(key, before.get(key));
            } else {
                restored.remove(key);
            }
        }
        if (SecretData.same(data, restored)) {
            LOG.infof("Secret %s holds its previous value already", ref);
            return new Result(current.getMetadata().getName(), Outcome.RESTORED,
                    current.getMetadata().getResourceVersion(), previousName);
        }
        Map<String, String> annotations = new LinkedHashMap<>(current.getMetadata().getAnnotations());
        annotations.put(RESTORED_FROM_ANNOTATION, previousName);
        annotations.put(RESTORED_AT_ANNOTATION, clock.instant().toString());
        Secret changed = new SecretBuilder(current)
                .editMetadata().withAnnotations(annotations).endMetadata()
                .withData(SecretData.encode(restored))
                .withStringData(null)
                .build();
        Secret updated = api.call("updating Secret " + ref, () -> client.secrets().inNamespace(namespace).resource(changed).update());
        LOG.infof("restored Secret %s from %s (keys %s)", ref, previousName, layout.dataKeys());
        return new Result(current.getMetadata().getName(), Outcome.RESTORED, updated.getMetadata().getResourceVersion(),
                previousName);
    }

    /**
     * An existing Secret is Rotor's to write only when it says so: the label {@code rotor.io/credential} naming this
     * credential. Otherwise a ManagedCredential could name any Secret of its namespace — another application's, a
     * token — and have Rotor overwrite it.
     */
    private static Secret requireOptedIn(Secret current, CredentialRef credential) {
        Map<String, String> labels = current.getMetadata().getLabels();
        String owner = labels == null ? null : labels.get(ManagedCredentials.CREDENTIAL_LABEL);
        if (!credential.name().equals(owner)) {
            throw new WriteFailure(WriteFailure.Reason.SECRET_NOT_OPTED_IN, "Secret " + credential.namespace() + "/"
                    + current.getMetadata().getName() + " does not carry the label " + ManagedCredentials.CREDENTIAL_LABEL
                    + "=" + credential.name() + (owner == null ? "" : " (it names " + owner + ")") + ": Rotor writes an "
                    + "existing Secret only when it opts in; label it if it belongs to this credential");
        }
        return current;
    }

    private Map<String, String> rotationAnnotations(Map<String, String> existing, String rotationId, String previous) {
        Map<String, String> annotations = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        annotations.put(ManagedCredentials.ROTATION_ANNOTATION, rotationId);
        annotations.put(ManagedCredentials.ROTATED_AT_ANNOTATION, clock.instant().toString());
        if (previous != null) {
            annotations.put(ManagedCredentials.PREVIOUS_ANNOTATION, previous);
        }
        return annotations;
    }

    private Secret get(String namespace, String name) {
        try {
            return api.call("reading Secret " + namespace + "/" + name,
                    () -> client.secrets().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw WriteFailure.of(e, "reading Secret " + namespace + "/" + name);
        }
    }

    private static SecretLayout layout(SecretTarget target, String ref) {
        try {
            return SecretLayout.of(target);
        } catch (SecretLayoutException e) {
            throw WriteFailure.of(e, ref);
        }
    }
}
