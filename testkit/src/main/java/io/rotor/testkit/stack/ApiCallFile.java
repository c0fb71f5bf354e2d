package io.rotor.testkit.stack;

import io.rotor.testkit.kubernetes.ApiCall;
import io.rotor.testkit.kubernetes.ApiCallRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Records each API call to a file as {@code token<TAB>method<TAB>path}, and reads such a file back. */
public final class ApiCallFile implements ApiCallRecorder {

    private final Path file;

    /** Starts a new recording: calls a file holds from an earlier run would pass for this run's. */
    public ApiCallFile(Path file) {
        this.file = file;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void record(ApiCall call) {
        String line = (call.token() == null ? "-" : call.token()) + "\t" + call.method() + "\t" + call.path() + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ApiCall> read(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(l -> l.split("\t", 3))
                .filter(p -> p.length == 3)
                .map(p -> new ApiCall(p[0].equals("-") ? null : p[0], p[1], p[2]))
                .toList();
    }
}
