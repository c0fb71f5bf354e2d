package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.regex.Pattern;

/**
 * A Vault KV v2 path that also holds the credential, as the Redis Enterprise operator's Vault mode reads it
 * ({@code <mount>/data/<prefix>/<name>} with keys {@code username} and {@code password}).
 */
public record VaultTarget(String address, String path, SecretKeyRef tokenSecretRef, SecretKeyRef caSecretRef)
        implements Validatable {

    static final Pattern KV2_PATH = Pattern.compile("[A-Za-z0-9._-]+/data/[A-Za-z0-9._/-]+");

    @Override
    public void validate(Validator v) {
        if (v.required("address", address)) {
            Endpoint.checkUrl(v, "address", address);
        }
        if (v.required("path", path)) {
            v.maxLength("path", path, 512).matches("path", path, KV2_PATH, "a KV v2 data path such as secret/data/redisenterprise-ns/rec");
            if (path.contains("..")) {
                v.fail("path", "must not contain '..'");
            }
        }
        if (v.required("tokenSecretRef", tokenSecretRef)) {
            v.check("tokenSecretRef", tokenSecretRef);
        }
        v.check("caSecretRef", caSecretRef);
    }
}
