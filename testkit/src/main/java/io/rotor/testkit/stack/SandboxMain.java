package io.rotor.testkit.stack;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.rotor.testkit.kubernetes.ApiCallRecorder;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.SandboxIdentities;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The Kubernetes sandbox (mock API server with Rotor's CRD and the fake workload controller) as its own process.
 * Arguments:
 * <ul>
 * <li>{@code --port N}: the API server's port on 127.0.0.1 (default: any free one);</li>
 * <li>{@code --namespace NS} (repeatable): namespaces to create, the first being the sandbox's default;</li>
 * <li>{@code --load FILE.yaml} (repeatable): objects to create, in order — RBAC roles and bindings among them decide
 * SubjectAccessReviews;</li>
 * <li>{@code --record FILE}: every API call, one per line: token, method, path;</li>
 * <li>{@code --identity TOKEN=USERNAME[:GROUP,GROUP...]} (repeatable): a TokenReview of {@code TOKEN} authenticates
 * {@code USERNAME} in those groups and {@code system:authenticated}. The token ends at the last {@code =} (so it
 * may carry base64 padding, and neither user name nor groups may contain {@code =}); the user name ends at the first
 * {@code :} (so it cannot contain one); groups are separated by {@code ,} and may contain {@code :}; e.g.
 * {@code --identity alice-token=alice:rotor-viewers,team-a}. A later {@code --identity} for the same token
 * wins;</li>
 * <li>{@code --service-account TOKEN=NAMESPACE/NAME} (repeatable): {@code TOKEN} authenticates the ServiceAccount
 * ({@code system:serviceaccount:NAMESPACE:NAME}, groups {@code system:serviceaccounts},
 * {@code system:serviceaccounts:NAMESPACE}, {@code system:authenticated}).</li>
 * </ul>
 * Prints {@value #READY} and the API server URL once namespaces, files and identities are in place, and runs until
 * it is terminated.
 */
public final class SandboxMain {

    public static final String READY = "ROTOR-SANDBOX-READY ";

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StackArgs a = StackArgs.parse(args);
        ApiCallRecorder recorder = a.all("record").isEmpty() ? ApiCallRecorder.NONE
                : new ApiCallFile(Path.of(a.require("record")));
        KubernetesSandbox sandbox = KubernetesSandbox.builder()
                .port(a.intOr("port", 0))
                .recordCalls(recorder)
                .namespace(a.all("namespace").isEmpty() ? KubernetesSandbox.DEFAULT_NAMESPACE : a.all("namespace").get(0))
                .withManagedCredentialCrd()
                .start();
        for (String ns : a.all("namespace").stream().skip(1).toList()) {
            sandbox.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
                    .build()).create();
        }
        for (String file : a.all("load")) {
            sandbox.load(Path.of(file));
        }
        a.all("identity").forEach(spec -> addIdentity(sandbox.identities(), spec));
        a.all("service-account").forEach(spec -> addServiceAccount(sandbox.identities(), spec));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println(READY + sandbox.apiServerUrl());
        System.out.flush();
        stopped.await();
    }

    /** {@code TOKEN=USERNAME[:GROUP,GROUP...]}; see the class comment. */
    static void addIdentity(SandboxIdentities identities, String spec) {
        int equals = spec.lastIndexOf('=');
        if (equals <= 0 || equals == spec.length() - 1) {
            throw new IllegalArgumentException("--identity wants TOKEN=USERNAME[:GROUP,GROUP...], got " + redacted(spec));
        }
        String token = spec.substring(0, equals);
        String user = spec.substring(equals + 1);
        int colon = user.indexOf(':');
        String username = colon < 0 ? user : user.substring(0, colon);
        String[] groups = colon < 0 ? new String[0] : user.substring(colon + 1).split(",", -1);
        if (username.isEmpty() || Arrays.stream(groups).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--identity wants TOKEN=USERNAME[:GROUP,GROUP...] with no empty user or "
                    + "group, got " + redacted(spec));
        }
        identities.add(token, username, groups);
    }

    /** {@code TOKEN=NAMESPACE/NAME}. */
    static void addServiceAccount(SandboxIdentities identities, String spec) {
        int equals = spec.lastIndexOf('=');
        int slash = spec.indexOf('/', equals + 1);
        if (equals <= 0 || slash < 0 || slash == equals + 1 || slash == spec.length() - 1
                || spec.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("--service-account wants TOKEN=NAMESPACE/NAME, got " + redacted(spec));
        }
        identities.addServiceAccount(spec.substring(0, equals), spec.substring(equals + 1, slash),
                spec.substring(slash + 1));
    }

    /** A bad argument's message shows what follows the token, never the token. */
    private static String redacted(String spec) {
        int equals = spec.lastIndexOf('=');
        return equals < 0 ? "an argument without '='" : "<token>" + spec.substring(equals);
    }
}
