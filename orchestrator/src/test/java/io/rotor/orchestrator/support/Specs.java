package io.rotor.orchestrator.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.envelope.EventJson;

/** Specs for unit tests, written the way users write them. */
public final class Specs {

    private Specs() {
    }

    public static ManagedCredentialSpec redisAcl() {
        return read("""
                {"platform":"redis-acl","strategy":"dual-password",
                 "endpoint":{"hosts":["redis-0:6379"]},"identity":{"username":"cache"},
                 "secrets":[{"name":"cache","format":"keys","keys":{"password":"password"}}]}""");
    }

    public static ManagedCredentialSpec configUi(String strategy) {
        return read("""
                {"platform":"configui","strategy":"%s","endpoint":{"url":"https://configui:8443"},
                 "identity":{"username":"administrator"},
                 "secrets":[{"name":"configui-user-secrets","format":"keys","keys":{"password":".mlc_password"}}]}"""
                .formatted(strategy));
    }

    /** {@link #redisAcl()} with a Vault target added: what a producer forging a step would report. */
    public static ManagedCredentialSpec redisAclNamingAnotherVault() {
        return read("""
                {"platform":"redis-acl","strategy":"dual-password",
                 "endpoint":{"hosts":["redis-0:6379"]},"identity":{"username":"cache"},
                 "secrets":[{"name":"cache","format":"keys","keys":{"password":"password"}}],
                 "vault":{"address":"https://vault.elsewhere.example:8200","path":"secret/data/stolen",
                          "tokenSecretRef":{"name":"vault-token","key":"token"}}}""");
    }

    public static ManagedCredentialSpec read(String json) {
        try {
            return EventJson.newMapper().readValue(json, ManagedCredentialSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
