package io.rotor.testkit.stack;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.rotor.testkit.kubernetes.ApiCallRecorder;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The Kubernetes sandbox (mock API server with Rotor's CRD and the fake workload controller) as its own process:
 * {@code --port N}, {@code --namespace NS} (repeatable; created), {@code --load FILE.yaml} (repeatable; loaded in
 * order), {@code --record FILE} (every API call, one per line: token, method, path). Prints {@value #READY} and the API server URL, and runs until it is terminated.
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println(READY + sandbox.apiServerUrl());
        System.out.flush();
        stopped.await();
    }
}
