package io.rotor.local;

import io.rotor.contracts.credential.PasswordPolicy;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import java.security.SecureRandom;
import java.util.List;

/**
 * The platforms of the demo: a real redis-server with an ACL user, and stand-ins for what cannot run here (a Redis
 * Enterprise REST API, Keystone, the Config UI portal). Initial passwords are random and never printed.
 */
final class DemoPlatforms implements AutoCloseable {

    static final String NAMESPACE = "demo";
    static final String REC_ADMIN = "admin@rotor.example";

    final RedisServerProcess redis;
    final RedisEnterpriseFake rec;
    final FakeKeystone keystone;
    final FakeConfigUiPortal portal;
    private final String redisAdmin;
    private final String cacheUser;
    private final String recAdmin;
    private final String novaPassword;
    private final String portalPassword;

    private DemoPlatforms() {
        PasswordGenerator generator = new PasswordGenerator(new SecureRandom());
        redisAdmin = generator.generate(null, Platform.REDIS_ACL, List.of()).reveal();
        cacheUser = generator.generate(null, Platform.REDIS_ACL, List.of()).reveal();
        recAdmin = generator.generate(null, Platform.REDIS_ENTERPRISE, List.of(REC_ADMIN)).reveal();
        novaPassword = generator.generate(null, Platform.OPENSTACK_KEYSTONE, List.of()).reveal();
        portalPassword = generator.generate(PasswordPolicy.defaultsFor(Platform.CONFIGUI), Platform.CONFIGUI, List.of())
                .reveal();
        redis = RedisServerProcess.builder().defaultUserPassword(redisAdmin)
                .aclUser(AclUser.fullAccess("cache", cacheUser)).start();
        rec = RedisEnterpriseFake.builder().user(REC_ADMIN, "admin", recAdmin).start();
        keystone = FakeKeystone.builder().realTime().start();
        KeystoneAdmin.of(keystone).createUser("nova", novaPassword);
        portal = FakeConfigUiPortal.start("administrator", portalPassword);
    }

    static DemoPlatforms start() {
        return new DemoPlatforms();
    }

    /** Whether a fresh connection authenticates as the demo's Redis user with {@code password}. */
    boolean redisAccepts(String password) {
        try (RespClient c = redis.connect()) {
            return c.auth("cache", password);
        }
    }

    /** Whether the demo Redis user's initial password still authenticates. */
    boolean redisAcceptsInitialPassword() {
        return redisAccepts(cacheUser);
    }

    /** The demo's Kubernetes resources: Secrets, workloads and one ManagedCredential per platform. */
    String resources() {
        String ns = NAMESPACE;
        return """
                # Redis OSS: a real redis-server; the app reads its password from a Secret.
                apiVersion: v1
                kind: Secret
                metadata: {name: cache-redis, namespace: %1$s, labels: {rotor.io/credential: cache-user}}
                stringData: {password: "%2$s"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-admin, namespace: %1$s}
                stringData: {password: "%3$s"}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop-api, namespace: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: shop-api}}
                  template:
                    metadata: {labels: {app: shop-api}}
                    spec:
                      containers:
                        - name: api
                          image: shop-api:1.0
                          env:
                            - name: REDIS_PASSWORD
                              valueFrom: {secretKeyRef: {name: cache-redis, key: password}}
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: cache-user, namespace: %1$s}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["127.0.0.1:%4$d"]}
                  identity: {username: cache}
                  secrets:
                    - {name: cache-redis, format: keys, keys: {password: password}}
                  redisAcl: {adminUsername: default, adminSecretRef: {name: redis-admin, key: password}}
                  propagationDelay: PT5S
                  schedule: {interval: P30D}
                ---
                # Redis Enterprise (a stand-in for its REST API, with TLS from a demo CA).
                apiVersion: v1
                kind: Secret
                metadata: {name: rec, namespace: %1$s, labels: {rotor.io/credential: rec-admin}}
                stringData: {username: "%5$s", password: "%6$s"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: rec-api-ca, namespace: %1$s}
                stringData:
                  ca.crt: |
                %7$s
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: rec
                  namespace: %1$s
                  # As the Redis Enterprise operator makes it: the cluster's nodes, which Rotor never restarts.
                  ownerReferences:
                    - {apiVersion: app.redislabs.com/v1, kind: RedisEnterpriseCluster, name: rec,
                       uid: 5a1c0d2e-0000-4000-8000-000000000001, controller: true}
                spec:
                  replicas: 3
                  serviceName: rec
                  selector: {matchLabels: {app: rec}}
                  template:
                    metadata: {labels: {app: rec}}
                    spec:
                      containers:
                        - name: redis-enterprise-node
                          image: redislabs/redis:7.22
                          volumeMounts: [{name: credentials, mountPath: /opt/redislabs/credentials}]
                      volumes:
                        - {name: credentials, secret: {secretName: rec}}
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: rec-admin, namespace: %1$s}
                spec:
                  platform: redis-enterprise
                  strategy: dual-password
                  endpoint: {url: "%8$s", caSecretRef: {name: rec-api-ca, key: ca.crt}}
                  identity: {username: "%5$s"}
                  secrets:
                    - {name: rec, format: keys, keys: {username: username, password: password}}
                  # The demo waits the shortest a REC spec may (two minutes); a real cluster wants the documented five
                  # minutes (the default).
                  propagationDelay: PT2M
                ---
                # OpenStack Keystone (a stand-in): the password sits in a clouds.yaml and an openrc file.
                apiVersion: v1
                kind: Secret
                metadata: {name: openstack-clouds, namespace: %1$s, labels: {rotor.io/credential: nova}}
                stringData:
                  clouds.yaml: |
                    clouds:
                      production:
                        auth:
                          auth_url: %9$s
                          username: nova
                          password: "%10$s"
                          user_domain_name: Default
                        region_name: RegionOne
                      staging:
                        auth:
                          auth_url: https://keystone.staging.example:5000/v3
                          username: nova
                          password: not-rotated-here
                          user_domain_name: Default
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: nova-openrc, namespace: %1$s, labels: {rotor.io/credential: nova}}
                stringData:
                  openrc: |
                    export OS_AUTH_URL=%9$s
                    export OS_USERNAME=nova
                    export OS_PASSWORD='%10$s'
                    export OS_USER_DOMAIN_NAME=Default
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: nova-api, namespace: %1$s}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: nova-api}}
                  template:
                    metadata: {labels: {app: nova-api}}
                    spec:
                      containers:
                        - name: nova-api
                          image: nova-api:1.0
                          volumeMounts: [{name: clouds, mountPath: /etc/openstack}]
                      volumes:
                        - {name: clouds, secret: {secretName: openstack-clouds}}
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: nova, namespace: %1$s}
                spec:
                  platform: openstack-keystone
                  strategy: replace
                  endpoint: {url: "%9$s"}
                  identity: {username: nova, domain: Default}
                  secrets:
                    - {name: openstack-clouds, format: clouds-yaml, cloud: production}
                    - {name: nova-openrc, format: openrc}
                ---
                # The API-management Config UI: an operator changes the password in the portal and confirms.
                apiVersion: v1
                kind: Secret
                metadata: {name: configui-user-secrets, namespace: %1$s, labels: {rotor.io/credential: configui-admin}}
                stringData: {.mlc_password: "%11$s", .mlc_server_secret: left-alone}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: configui-deploy, namespace: %1$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: configui}}
                  template:
                    metadata: {labels: {app: configui}}
                    spec:
                      containers:
                        - name: configui
                          image: configui:5.5
                          envFrom: [{secretRef: {name: configui-user-secrets}}]
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: configui-admin, namespace: %1$s}
                spec:
                  platform: configui
                  strategy: manual
                  identity: {username: administrator}
                  secrets:
                    - {name: configui-user-secrets, format: keys, keys: {password: .mlc_password}}
                  consumers: {restartStrategy: scale-to-zero}
                  configUi: {portalUrl: "%12$s", adminUser: administrator}
                """.formatted(ns, cacheUser, redisAdmin, redis.port(), REC_ADMIN, recAdmin,
                indent(rec.certificateAuthority().certificatePem(), "    "), rec.url(), keystone.url(), novaPassword,
                portalPassword, portal.url());
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    @Override
    public void close() {
        portal.close();
        keystone.close();
        rec.close();
        redis.close();
    }
}
