package io.rotor.redis.enterprise;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The new admin's name for a new-identity rotation, derived from the current one and the rotation id so that a
 * redelivered command finds the user it created: {@code admin@example.com} becomes
 * {@code admin+rotor-1a2b3c4d5e6f@example.com}, and the tag of an earlier rotation is replaced, not stacked.
 */
final class AdminNames {

    private static final Pattern EARLIER_TAG = Pattern.compile("\\+rotor-[a-z0-9]+$");
    private static final int TAG_LENGTH = 12;

    private AdminNames() {
    }

    static String next(String current, String rotationId) {
        String tag = rotationId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        tag = tag.substring(0, Math.min(TAG_LENGTH, tag.length()));
        int at = current.lastIndexOf('@');
        String local = at < 0 ? current : current.substring(0, at);
        String domain = at < 0 ? "" : current.substring(at);
        return EARLIER_TAG.matcher(local).replaceFirst("") + "+rotor-" + tag + domain;
    }
}
