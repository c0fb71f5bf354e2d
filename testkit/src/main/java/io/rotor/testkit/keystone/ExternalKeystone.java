package io.rotor.testkit.keystone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real Keystone this JVM did not start, for example one CI brought up with {@code keystone-up.sh}: given by
 * {@code -Dkeystone.url=http://127.0.0.1:5000/v3} and {@code -Dkeystone.admin-password-file=...} (the file
 * keystone-up.sh reports). It cannot be reconfigured, so rule tests skip on it.
 */
public final class ExternalKeystone implements Keystone {

    public static final String URL_PROPERTY = "keystone.url";
    public static final String ADMIN_PASSWORD_FILE_PROPERTY = "keystone.admin-password-file";

    private final URI url;
    private final String adminPassword;

    public ExternalKeystone(URI url, String adminPassword) {
        this.url = url;
        this.adminPassword = adminPassword;
    }

    /** The Keystone named by the system properties, or null when {@value #URL_PROPERTY} is not set. */
    public static ExternalKeystone fromSystemProperties() {
        String url = System.getProperty(URL_PROPERTY, "");
        if (url.isBlank()) {
            return null;
        }
        String file = System.getProperty(ADMIN_PASSWORD_FILE_PROPERTY, "");
        if (file.isBlank()) {
            throw new IllegalStateException("-D" + URL_PROPERTY + " needs -D" + ADMIN_PASSWORD_FILE_PROPERTY
                    + " (the admin password file keystone-up.sh reports)");
        }
        try {
            return new ExternalKeystone(URI.create(url), Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public void reconfigure(SecurityCompliance rules) {
        throw new UnsupportedOperationException("Keystone at " + url + " was not started by this JVM; "
                + "run without -D" + URL_PROPERTY + " to let the tests start (and reconfigure) their own");
    }

    /** Unknown: assumed to be Keystone's defaults. */
    @Override
    public SecurityCompliance rules() {
        return SecurityCompliance.none();
    }

    @Override
    public boolean reconfigurable() {
        return false;
    }

    @Override
    public void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public boolean real() {
        return true;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }

    @Override
    public String toString() {
        return "ExternalKeystone[" + url + "]";
    }
}
