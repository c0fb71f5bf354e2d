package io.rotor.contracts.sealing;

import io.rotor.contracts.credential.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The keyrings a service holds, one per audience. An audience is a platform's rotator ({@code redis},
 * {@code openstack}, {@code configui}): a platform's values are sealed for it and open only where its keyring is
 * held — the orchestrator, that platform's rotator and the secret writer. A rotator cannot open another platform's
 * values, and the pod restarter holds none.
 *
 * <p>On a cluster each keyring is a Secret mounted as a directory ({@code <dir>/<audience>/}), one file per key id
 * holding the base64 key and a file {@value Keyring#PRIMARY_ENTRY} naming the sealing key — the layout of a Secret
 * volume, so a key rotation is a Secret update.
 */
public final class SealingKeys {

    private static final Pattern AUDIENCE = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    private final Map<String, Sealer> sealers;

    private SealingKeys(Map<String, Sealer> sealers) {
        this.sealers = Collections.unmodifiableMap(sealers);
    }

    public static SealingKeys of(Map<String, Keyring> keyrings) {
        Map<String, Sealer> sealers = new LinkedHashMap<>();
        keyrings.forEach((audience, keyring) -> sealers.put(audience, new Sealer(audience, keyring)));
        return new SealingKeys(sealers);
    }

    /** None at all: the service opens nothing (the pod restarter). */
    public static SealingKeys none() {
        return new SealingKeys(Map.of());
    }

    /** Keyrings in the compact configuration form, audience to {@code id=base64,id=base64} (primary first). */
    public static SealingKeys parse(Map<String, String> compact) {
        Map<String, Keyring> keyrings = new LinkedHashMap<>();
        compact.forEach((audience, spec) -> keyrings.put(checkAudience(audience), Keyring.parse(spec)));
        return of(keyrings);
    }

    /**
     * Reads {@code <dir>/<audience>/} for each audience asked for; every one must be there. Files whose names start
     * with a dot (a Secret volume's {@code ..data} links) are not keys.
     */
    public static SealingKeys fromDirectory(Path dir, Set<String> audiences) {
        Map<String, Keyring> keyrings = new LinkedHashMap<>();
        for (String audience : new TreeSet<>(audiences)) {
            Path keyringDir = dir.resolve(checkAudience(audience));
            if (!Files.isDirectory(keyringDir)) {
                throw new SealingException(SealingException.Reason.BAD_KEYRING, "no keyring for audience '" + audience
                        + "': " + keyringDir + " is not a directory (mount the audience's sealing-key Secret there)");
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(keyringDir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (!name.startsWith(".") && Files.isRegularFile(file)) {
                        data.put(name, Files.readAllBytes(file));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the keyring in " + keyringDir, e);
            }
            keyrings.put(audience, Keyring.fromSecretData(data));
        }
        return of(keyrings);
    }

    /** The audience a platform's values are sealed for. */
    public static String audienceOf(Platform platform) {
        return platform.rotator();
    }

    public Sealer sealerFor(Platform platform) {
        return sealerFor(audienceOf(platform));
    }

    public Sealer sealerFor(String audience) {
        Sealer sealer = sealers.get(audience);
        if (sealer == null) {
            throw new SealingException(SealingException.Reason.AUDIENCE_NOT_HELD, "this service holds no keyring "
                    + "for audience '" + audience + "' (it holds " + new TreeSet<>(sealers.keySet()) + ")");
        }
        return sealer;
    }

    public boolean holds(String audience) {
        return sealers.containsKey(audience);
    }

    public Set<String> audiences() {
        return sealers.keySet();
    }

    static String checkAudience(String audience) {
        if (audience == null || !AUDIENCE.matcher(audience).matches()) {
            throw new SealingException(SealingException.Reason.BAD_KEYRING, "audience '" + audience
                    + "' must be 1 to 31 lower-case letters, digits or '-', starting with a letter");
        }
        return audience;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SealingKeys[");
        sealers.forEach((audience, sealer) -> sb.append(audience).append('=').append(sealer.keyring()).append(' '));
        return sb.toString().trim() + "]";
    }
}
