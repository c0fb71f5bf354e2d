package io.rotor.kit.secret;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A Secret's data as bytes, the way {@link SecretLayout} works on it, and back to the API's base64 form. */
public final class SecretData {

    private SecretData() {
    }

    /**
     * The decoded data of a Secret, with {@code stringData} folded in on top, as the API server does on write (an
     * object built in code may still carry it).
     */
    public static Map<String, byte[]> of(Secret secret) {
        Map<String, byte[]> data = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, v == null ? new byte[0] : Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }

    /** The base64 form for {@code Secret.data}. */
    public static Map<String, String> encode(Map<String, byte[]> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        return encoded;
    }

    /** Same keys, same bytes. */
    public static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
