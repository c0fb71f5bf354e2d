package io.rotor.kit.retry;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The login budget in the Kubernetes API: one Lease ({@code coordination.k8s.io/v1}) per account in Rotor's own
 * namespace, named {@code rotor-login-budget-<sha-256 of the account, 32 hex digits>}, its counts in annotations,
 * updated by compare-and-set on its {@code resourceVersion}. It survives restarts of the rotator and every replica
 * reads and writes the same object; two replicas counting at once both succeed, one of them after reading the other's
 * count (a 409 makes it read again).
 *
 * <p>A Lease, not a ConfigMap: the rotators' Role then grants nothing over the ConfigMaps in Rotor's namespace (the
 * endpoint policy is one), and no Rotor service uses Leases for anything else. The Lease's spec stays empty: nothing
 * is held or renewed, the object is only a small record with optimistic concurrency.
 *
 * <p>It holds counts, times and the platform's lockout policy, never a password or anything derived from one; the
 * account itself (endpoint and user name) is in an annotation so an operator can tell which Lease is whose. Deleting
 * the Lease resets the budget.
 *
 * <p>When the API cannot be written, no login is attempted (the step fails retriably): a login Rotor cannot count is
 * a login it may not make.
 */
public final class LeaseBudgetStore implements BudgetStore {

    static final String PREFIX = "rotor-login-budget-";
    static final String ANNOTATION = "budget.rotor.io/";
    static final String ACCOUNT = ANNOTATION + "account";
    static final String COUNTED = ANNOTATION + "counted";
    static final String LAST_COUNTED = ANNOTATION + "last-counted";
    static final String PLATFORM_THRESHOLD = ANNOTATION + "platform-threshold";
    static final String PLATFORM_RESET_AFTER = ANNOTATION + "platform-reset-after";
    static final String LABEL = "rotor.io/login-budget";
    private static final int MAX_CONFLICTS = 16;

    private final KubernetesClient client;
    private final String namespace;

    public LeaseBudgetStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The Lease's name: a digest, because an account (a URL and a user) is no valid object name. */
    public static String name(String account) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(account.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public AccountState read(String account) {
        return parse(get(account));
    }

    @Override
    public AccountState update(String account, UnaryOperator<AccountState> change) {
        for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
            Lease current = get(account);
            AccountState before = parse(current);
            AccountState after = change.apply(before);
            if (after.equals(before) && current != null) {
                return after;
            }
            Map<String, String> annotations = render(after);
            annotations.put(ACCOUNT, account);
            Lease next = new LeaseBuilder()
                    .withNewMetadata()
                    .withName(name(account))
                    .withNamespace(namespace)
                    .withResourceVersion(current == null ? null : current.getMetadata().getResourceVersion())
                    .addToLabels("app.kubernetes.io/part-of", "rotor")
                    .addToLabels(LABEL, "true")
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .build();
            try {
                if (current == null) {
                    client.leases().inNamespace(namespace).resource(next).create();
                } else {
                    client.leases().inNamespace(namespace).resource(next).update();
                }
                return after;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw unavailable(account, "write", e);
                }
                // Another replica wrote in between (or created it first): read its count and apply the change again.
            }
        }
        throw new PlatformException(KitFailure.KUBERNETES_UNAVAILABLE, "the login budget " + where(account)
                + " kept changing under this rotator (" + MAX_CONFLICTS + " conflicts in a row); no login is tried "
                + "until it can be counted");
    }

    @Override
    public String where(String account) {
        return "Lease " + namespace + "/" + name(account);
    }

    private Lease get(String account) {
        try {
            return client.leases().inNamespace(namespace).withName(name(account)).get();
        } catch (KubernetesClientException e) {
            throw unavailable(account, "read", e);
        }
    }

    private PlatformException unavailable(String account, String verb, KubernetesClientException e) {
        String why = e.getCode() == 403 ? " (HTTP 403: the rotator's Role in namespace " + namespace
                + " must allow get, create and update on leases.coordination.k8s.io)" : " (HTTP " + e.getCode() + ")";
        return new PlatformException(KitFailure.KUBERNETES_UNAVAILABLE, "cannot " + verb + " the login budget "
                + where(account) + why + "; no login is tried until it can be counted", e);
    }

    static Map<String, String> render(AccountState state) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(COUNTED, Integer.toString(state.counted()));
        state.lastCounted().ifPresent(at -> data.put(LAST_COUNTED, at.toString()));
        if (state.platformThreshold() > 0) {
            data.put(PLATFORM_THRESHOLD, Integer.toString(state.platformThreshold()));
        }
        state.platformResetAfter().ifPresent(d -> data.put(PLATFORM_RESET_AFTER, d.toString()));
        return data;
    }

    /** A Lease someone edited into nonsense counts as spent rather than empty: Rotor errs towards not logging in. */
    static AccountState parse(Lease lease) {
        if (lease == null || lease.getMetadata().getAnnotations() == null) {
            return AccountState.EMPTY;
        }
        Map<String, String> data = lease.getMetadata().getAnnotations();
        try {
            int counted = Integer.parseInt(data.getOrDefault(COUNTED, "0"));
            Optional<Instant> last = Optional.ofNullable(data.get(LAST_COUNTED)).map(Instant::parse);
            int threshold = Integer.parseInt(data.getOrDefault(PLATFORM_THRESHOLD, "0"));
            Optional<Duration> resetAfter = Optional.ofNullable(data.get(PLATFORM_RESET_AFTER)).map(Duration::parse);
            return new AccountState(Math.max(0, counted), last, Math.max(0, threshold), resetAfter);
        } catch (NumberFormatException | DateTimeParseException e) {
            return new AccountState(Integer.MAX_VALUE, Optional.empty(), 0, Optional.empty());
        }
    }
}
