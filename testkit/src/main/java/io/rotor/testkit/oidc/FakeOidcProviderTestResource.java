package io.rotor.testkit.oidc;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link FakeOidcProvider} for a {@code @QuarkusTest}, points {@code quarkus.oidc.auth-server-url} at it and
 * turns the default OIDC tenant on;
 * a test field of type {@link FakeOidcProvider} annotated {@link InjectOidcProvider} receives it.
 */
public class FakeOidcProviderTestResource implements QuarkusTestResourceLifecycleManager {

    private FakeOidcProvider provider;

    @Override
    public Map<String, String> start() {
        provider = FakeOidcProvider.start();
        return Map.of("quarkus.oidc.auth-server-url", provider.issuer(), "quarkus.oidc.tenant-enabled", "true");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(provider, new TestInjector.AnnotatedAndMatchesType(InjectOidcProvider.class,
                FakeOidcProvider.class));
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
