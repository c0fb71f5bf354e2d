package io.rotor.testkit.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The hash a controller puts into {@code pod-template-hash} / {@code controller-revision-hash}: FNV-1a 32 over the
 * pod template, written with Kubernetes' "safe" alphabet like {@code 5d4c7b9f8}. Same idea as the real controllers
 * (which hash the Go struct), so names look familiar; the values are not meant to match a real cluster's.
 */
final class TemplateHash {

    /** Kubernetes' rand.SafeEncodeString alphabet: no vowels, no confusable characters. */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    /** Sorted keys make the hash independent of the order labels and annotations arrived in. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final KubernetesSerialization MODEL = new KubernetesSerialization();

    private TemplateHash() {
    }

    static String of(PodTemplateSpec template) {
        Map<?, ?> tree = MODEL.convertValue(template, Map.class);
        byte[] bytes;
        try {
            bytes = CANONICAL.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a pod template", e);
        }
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    private static String safeEncode(String digits) {
        StringBuilder encoded = new StringBuilder(digits.length());
        for (byte b : digits.getBytes(StandardCharsets.US_ASCII)) {
            encoded.append(ALPHANUMS.charAt(b % ALPHANUMS.length()));
        }
        return encoded.toString();
    }
}
