package io.rotor.secret;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The previous version of each Secret Rotor writes, kept for rollback in a companion Secret:
 * {@code <secret>-prev-<hash of the rotation id>}, an immutable Opaque copy of the data as it was before the
 * rotation's first write, referenced from the Secret by {@value ManagedCredentials#PREVIOUS_ANNOTATION}.
 *
 * <p>Cleanup: each companion has an ownerReference to its Secret, so deleting the Secret deletes its companions; and
 * after every write only the newest {@code rotor.writer.previous.retain} companions of a Secret are kept (never the one
 * the Secret currently references).
 */
final class PreviousVersions {

    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String MANAGED_BY = "rotor";
    /** Label for listing a Secret's companions; the Secret name, or a hash when the name is no valid label value. */
    static final String PREVIOUS_OF_LABEL = "rotor.io/previous-of";
    static final String PREVIOUS_OF_ANNOTATION = "rotor.io/previous-of";
    static final String SAVED_AT_ANNOTATION = "rotor.io/saved-at";
    static final String PREVIOUS_TYPE_ANNOTATION = "rotor.io/previous-type";

    private static final Logger LOG = Logger.getLogger(PreviousVersions.class);
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final int MAX_NAME = 253;

    private final KubernetesClient client;
    private final ApiCalls api;
    private final Clock clock;
    private final int retain;

    PreviousVersions(KubernetesClient client, ApiCalls api, Clock clock, int retain) {
        this.client = client;
        this.api = api;
        this.clock = clock;
        this.retain = Math.max(1, retain);
    }

    static String companionName(String secret, String rotationId) {
        String suffix = "-prev-" + sha256(rotationId).substring(0, 10);
        String base = secret.length() + suffix.length() > MAX_NAME ? secret.substring(0, MAX_NAME - suffix.length()) : secret;
        while (!base.isEmpty() && !Character.isLetterOrDigit(base.charAt(base.length() - 1))) {
            base = base.substring(0, base.length() - 1);
        }
        return base + suffix;
    }

    static String labelValue(String secret) {
        return LABEL_VALUE.matcher(secret).matches() ? secret : "h-" + sha256(secret).substring(0, 40);
    }

    /**
     * Saves {@code current} as the rotation's previous version, unless it was saved already (a redelivered event, or
     * a retry after a conflict): the first copy is the one from before the rotation touched anything.
     *
     * @return the companion's name
     */
    String keep(Secret current, String rotationId) {
        String namespace = current.getMetadata().getNamespace();
        String secret = current.getMetadata().getName();
        String name = companionName(secret, rotationId);
        Secret companion = new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
                .addToLabels(PREVIOUS_OF_LABEL, labelValue(secret))
                .addToAnnotations(PREVIOUS_OF_ANNOTATION, secret)
                .addToAnnotations(ManagedCredentials.ROTATION_ANNOTATION, rotationId)
                .addToAnnotations(SAVED_AT_ANNOTATION, clock.instant().toString())
                .addToAnnotations(PREVIOUS_TYPE_ANNOTATION, current.getType() == null ? "Opaque" : current.getType())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Secret")
                        .withName(secret).withUid(current.getMetadata().getUid()).build())
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withData(current.getData() == null ? Map.of() : current.getData())
                .build();
        try {
            api.call("creating Secret " + namespace + "/" + name, () -> client.secrets().inNamespace(namespace)
                    .resource(companion).create());
            LOG.infof("kept the previous version of Secret %s/%s in %s", namespace, secret, name);
            return name;
        } catch (KubernetesClientException e) {
            if (ApiError.of(e) != ApiError.ALREADY_EXISTS && ApiError.of(e) != ApiError.CONFLICT) {
                throw WriteFailure.of(e, "creating Secret " + namespace + "/" + name + " (previous version of " + secret + ")");
            }
        }
        Secret existing = api.call("reading Secret " + namespace + "/" + name,
                () -> client.secrets().inNamespace(namespace).withName(name).get());
        if (existing == null || !rotationId.equals(annotation(existing, ManagedCredentials.ROTATION_ANNOTATION))) {
            throw new WriteFailure(WriteFailure.Reason.SECRET_REJECTED, "Secret " + namespace + "/" + name
                    + " exists but is not the previous version of " + secret + " for this rotation; remove it");
        }
        return name;
    }

    /** The companion of this rotation, if it exists and really is one. */
    Optional<Secret> find(String namespace, String name, String rotationId) {
        Secret companion = api.call("reading Secret " + namespace + "/" + name,
                () -> client.secrets().inNamespace(namespace).withName(name).get());
        return Optional.ofNullable(companion)
                .filter(c -> rotationId.equals(annotation(c, ManagedCredentials.ROTATION_ANNOTATION)));
    }

    /** Deletes the oldest companions beyond the retained number; best effort, a failure is only logged. */
    void prune(String namespace, String secret, String referenced) {
        try {
            List<Secret> companions = client.secrets().inNamespace(namespace)
                    .withLabel(PREVIOUS_OF_LABEL, labelValue(secret)).list().getItems().stream()
                    .filter(s -> secret.equals(annotation(s, PREVIOUS_OF_ANNOTATION)))
                    .sorted(Comparator.comparing(PreviousVersions::savedAt).reversed())
                    .toList();
            for (int i = retain; i < companions.size(); i++) {
                String name = companions.get(i).getMetadata().getName();
                if (!name.equals(referenced)) {
                    client.secrets().inNamespace(namespace).withName(name).delete();
                    LOG.debugf("deleted old previous version %s/%s", namespace, name);
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not prune the previous versions of Secret %s/%s (%s); they stay until the next write",
                    namespace, secret, ApiError.describe(e));
        }
    }

    private static Instant savedAt(Secret companion) {
        try {
            return Instant.parse(annotation(companion, SAVED_AT_ANNOTATION));
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    static String annotation(Secret secret, String key) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
