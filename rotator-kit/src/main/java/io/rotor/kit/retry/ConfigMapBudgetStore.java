package io.rotor.kit.retry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
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
 * The login budget in the Kubernetes API: one ConfigMap per account in Rotor's own namespace, named
 * {@code rotor-login-budget-<sha-256 of the account, 32 hex digits>}, updated by compare-and-set on its
 * {@code resourceVersion}. It survives restarts of the rotator and every replica reads and writes the same object; two
 * replicas counting at once both succeed, one of them after reading the other's count (a 409 makes it read again).
 *
 * <p>It holds counts, times and the platform's lockout policy, never a password or anything derived from one; the
 * account itself (endpoint and user name) is in an annotation so an operator can tell which ConfigMap is whose.
 * Deleting the ConfigMap resets the budget.
 *
 * <p>When the API cannot be written, no login is attempted (the step fails retriably): a login Rotor cannot count is
 * a login it may not make.
 */
public final class ConfigMapBudgetStore implements BudgetStore {

    static final String PREFIX = "rotor-login-budget-";
    static final String ACCOUNT_ANNOTATION = "rotor.io/login-budget-account";
    static final String LABEL = "rotor.io/login-budget";
    private static final int MAX_CONFLICTS = 16;

    private final KubernetesClient client;
    private final String namespace;

    public ConfigMapBudgetStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The ConfigMap's name: a digest, because an account (a URL and a user) is no valid object name. */
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
            ConfigMap current = get(account);
            AccountState before = parse(current);
            AccountState after = change.apply(before);
            if (after.equals(before) && current != null) {
                return after;
            }
            ConfigMap next = new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(name(account))
                    .withNamespace(namespace)
                    .withResourceVersion(current == null ? null : current.getMetadata().getResourceVersion())
                    .addToLabels("app.kubernetes.io/part-of", "rotor")
                    .addToLabels(LABEL, "true")
                    .addToAnnotations(ACCOUNT_ANNOTATION, account)
                    .endMetadata()
                    .withData(render(after))
                    .build();
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(next).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(next).update();
                }
                return after;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw unavailable(account, "write", e);
                }
                // Another replica wrote in between: read its count and apply the change again.
            }
        }
        throw new PlatformException(KitFailure.KUBERNETES_UNAVAILABLE, "the login budget " + where(account)
                + " kept changing under this rotator (" + MAX_CONFLICTS + " conflicts in a row); no login is tried "
                + "until it can be counted");
    }

    @Override
    public String where(String account) {
        return "ConfigMap " + namespace + "/" + name(account);
    }

    private ConfigMap get(String account) {
        try {
            return client.configMaps().inNamespace(namespace).withName(name(account)).get();
        } catch (KubernetesClientException e) {
            throw unavailable(account, "read", e);
        }
    }

    private PlatformException unavailable(String account, String verb, KubernetesClientException e) {
        String why = e.getCode() == 403 ? " (HTTP 403: the rotator's Role in namespace " + namespace
                + " must allow get, create and update on configmaps)" : " (HTTP " + e.getCode() + ")";
        return new PlatformException(KitFailure.KUBERNETES_UNAVAILABLE, "cannot " + verb + " the login budget "
                + where(account) + why + "; no login is tried until it can be counted", e);
    }

    static Map<String, String> render(AccountState state) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("counted", Integer.toString(state.counted()));
        state.lastCounted().ifPresent(at -> data.put("lastCounted", at.toString()));
        if (state.platformThreshold() > 0) {
            data.put("platformThreshold", Integer.toString(state.platformThreshold()));
        }
        state.platformResetAfter().ifPresent(d -> data.put("platformResetAfter", d.toString()));
        return data;
    }

    /**
     * A ConfigMap someone edited into nonsense counts as spent rather than empty: Rotor errs towards not logging in.
     */
    static AccountState parse(ConfigMap map) {
        if (map == null || map.getData() == null) {
            return AccountState.EMPTY;
        }
        Map<String, String> data = map.getData();
        try {
            int counted = Integer.parseInt(data.getOrDefault("counted", "0"));
            Optional<Instant> last = Optional.ofNullable(data.get("lastCounted")).map(Instant::parse);
            int threshold = Integer.parseInt(data.getOrDefault("platformThreshold", "0"));
            Optional<Duration> resetAfter = Optional.ofNullable(data.get("platformResetAfter")).map(Duration::parse);
            return new AccountState(Math.max(0, counted), last, Math.max(0, threshold), resetAfter);
        } catch (NumberFormatException | DateTimeParseException e) {
            return new AccountState(Integer.MAX_VALUE, Optional.empty(), 0, Optional.empty());
        }
    }
}
