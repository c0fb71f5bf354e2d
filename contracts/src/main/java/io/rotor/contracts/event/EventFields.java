package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.validation.Validator;
import java.util.Map;
import java.util.regex.Pattern;

/** The field rules events share, so every event checks ids, texts and maps the same way. */
final class EventFields {

    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final Pattern ROTATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_.-]{1,64}");
    static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9@._:/-]{1,128}");
    static final int MAX_REASON = 1024;
    static final int MAX_MESSAGE = 4096;
    static final int MAX_DETAILS = 256;
    static final int MAX_MATERIAL_FIELDS = 4;

    private EventFields() {
    }

    static void requestId(Validator v, String requestId) {
        if (v.required("requestId", requestId)) {
            v.matches("requestId", requestId, REQUEST_ID, "1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    static void rotationId(Validator v, String rotationId) {
        if (v.required("rotationId", rotationId)) {
            v.matches("rotationId", rotationId, ROTATION_ID, "1 to 64 letters, digits or '-'");
        }
    }

    static void optionalRotationId(Validator v, String rotationId) {
        if (rotationId != null) {
            rotationId(v, rotationId);
        }
    }

    static void actor(Validator v, String field, String actor) {
        if (v.required(field, actor)) {
            v.matches(field, actor, ACTOR, "1 to 128 letters, digits or '@._:/-' (such as scheduler or user:alice)");
        }
    }

    static void errorCode(Validator v, String errorCode) {
        if (v.required("errorCode", errorCode)) {
            v.matches("errorCode", errorCode, ERROR_CODE, "1 to 64 lower-case letters, digits, '_', '.' or '-'");
        }
    }

    static void material(Validator v, String field, Map<String, SealedValue> material, boolean required) {
        if (material == null) {
            if (required) {
                v.fail(field, "is required");
            }
            return;
        }
        if (required && material.isEmpty()) {
            v.fail(field, "must hold at least one sealed field");
        }
        v.maxSize(field, material, MAX_MATERIAL_FIELDS);
        material.forEach((name, sealed) -> {
            if (CredentialField.fromKey(name).isEmpty()) {
                v.fail(field + "." + name, "is not a credential field");
            } else if (sealed == null) {
                v.fail(field + "." + name, "must not be null");
            } else {
                v.check(field + "." + name, sealed);
            }
        });
    }

    /** The digest must be present and match the spec, so a record cannot pair one spec with another's digest. */
    static void specDigest(Validator v, ManagedCredentialSpec spec, String digest) {
        if (!v.required("specDigest", digest)) {
            return;
        }
        if (!SpecDigest.FORMAT.matcher(digest).matches()) {
            v.fail("specDigest", "must be sha256: and 64 lower-case hex digits");
        } else if (spec != null && !digest.equals(SpecDigest.of(spec))) {
            v.fail("specDigest", "does not match spec");
        }
    }

    static void details(Validator v, Map<String, String> details) {
        if (details == null) {
            return;
        }
        v.maxSize("details", details, MAX_DETAILS);
        details.forEach((k, value) -> {
            if (k == null || k.length() > 253) {
                v.fail("details", "keys must be at most 253 characters");
            }
            if (value == null || value.length() > MAX_REASON) {
                v.fail("details." + k, "must be a text of at most " + MAX_REASON + " characters");
            }
        });
    }
}
