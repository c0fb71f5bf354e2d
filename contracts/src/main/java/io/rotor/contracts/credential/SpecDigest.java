package io.rotor.contracts.credential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rotor.contracts.envelope.EventJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A fingerprint of a ManagedCredential spec: SHA-256 of its canonical JSON (Rotor's event JSON, map entries sorted).
 * The orchestrator records it when a rotation starts; the services that touch Kubernetes compare it with the spec
 * they read back from the API server, so a record on Kafka can never choose what they write or restart.
 */
public final class SpecDigest {

    public static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final ObjectMapper CANONICAL = EventJson.newMapper()
            .copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private SpecDigest() {
    }

    public static String of(ManagedCredentialSpec spec) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(spec);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a ManagedCredential spec", e);
        }
    }
}
