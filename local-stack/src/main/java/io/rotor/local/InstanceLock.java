package io.rotor.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One local stack per checkout: a pid file that a second start reads, and that the first removes on exit. */
final class InstanceLock implements AutoCloseable {

    private final Path file;

    private InstanceLock(Path file) {
        this.file = file;
    }

    /** Takes the lock, or says who holds it. A pid file whose process is gone is a leftover of a crash: replaced. */
    static InstanceLock acquire(Path file) {
        Optional<Long> holder = read(file).filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        if (holder.isPresent()) {
            throw new LauncherException("Rotor's local stack is already running from this folder (pid " + holder.get()
                    + "). Stop it with Ctrl-C in its terminal, or: kill " + holder.get());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InstanceLock(file);
    }

    private static Optional<Long> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Leaving a stale pid file is harmless: the next start sees its process is gone.
        }
    }
}
