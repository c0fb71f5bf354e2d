package io.rotor.orchestrator.support;

import static org.awaitility.Awaitility.await;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import java.time.Duration;
import java.util.UUID;

/** ManagedCredentials for tests, created through the sandbox's API server, and waited for in the registry. */
public final class Fixtures {

    public static final String NAMESPACE = KubernetesSandbox.DEFAULT_NAMESPACE;

    private Fixtures() {
    }

    /** A name no other test uses, so tests share the broker and the API server without seeing each other. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String redisAcl(String namespace, String name, String extra) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: %s, namespace: %s}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["redis-0.redis:6379", "redis-1.redis:6379"]}
                  identity: {username: cache}
                  secrets:
                    - {name: %s-secret, format: keys, keys: {password: password}}
                  passwordPolicy: {length: 40, excludedCharacters: "@:/"}
                %s""".formatted(name, namespace, name, extra == null ? "" : extra);
    }

    public static String redisEnterprise(String namespace, String name) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: %s, namespace: %s}
                spec:
                  platform: redis-enterprise
                  strategy: dual-password
                  endpoint: {url: "https://rec.redis.svc:9443"}
                  identity: {username: admin@example.com}
                  secrets:
                    - {name: %s, format: keys, keys: {username: username, password: password}}
                """.formatted(name, namespace, name);
    }

    public static String configUi(String namespace, String name, String strategy) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: %s, namespace: %s}
                spec:
                  platform: configui
                  strategy: %s
                  endpoint: {url: "https://configui.mashery.svc:8443"}
                  identity: {username: administrator}
                  secrets:
                    - {name: %s-secrets, format: keys, keys: {password: .mlc_password}}
                  configUi: {portalUrl: "https://portal.example.com/admin", adminUser: administrator}
                """.formatted(name, namespace, strategy, name);
    }

    public static String keystone(String namespace, String name) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: %s, namespace: %s}
                spec:
                  platform: openstack-keystone
                  strategy: replace
                  endpoint: {url: "https://keystone.example.com:5000/v3"}
                  identity: {userId: 0123456789abcdef}
                  secrets:
                    - {name: %s-clouds, format: clouds-yaml, cloud: prod}
                """.formatted(name, namespace, name);
    }

    /** Creates the resources of a YAML stream and waits until the registry knows the credential. */
    public static CredentialRef create(KubernetesSandbox sandbox, CredentialRegistry registry, String namespace,
            String name, String yaml) {
        sandbox.loadYaml(yaml);
        CredentialRef ref = new CredentialRef(namespace, name);
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.find(ref).isPresent());
        return ref;
    }
}
