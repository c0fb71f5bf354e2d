package io.rotor.system;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Every record of the given topics from the beginning — keys, header values and bodies — as text. */
final class TopicScan {

    private TopicScan() {
    }

    /** Read as {@link RecordReplay#read} reads: with the stack's super user, from the beginning. */
    static List<String> everything(RecordReplay log, List<String> topics) {
        return log.read(topics).stream().map(r -> {
            StringBuilder b = new StringBuilder(r.topic()).append(' ');
            if (r.key() != null) {
                b.append(new String(r.key(), StandardCharsets.UTF_8)).append(' ');
            }
            r.headers().forEach(h -> b.append(h.key()).append('=')
                    .append(new String(h.value(), StandardCharsets.UTF_8)).append(' '));
            if (r.value() != null) {
                b.append(new String(r.value(), StandardCharsets.UTF_8));
            }
            return b.toString();
        }).toList();
    }
}
