package io.rotor.testkit.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} arguments of the stack's small programs; a repeated name collects several values. */
record StackArgs(Map<String, List<String>> values) {

    static StackArgs parse(String[] args) {
        Map<String, List<String>> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            values.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return new StackArgs(values);
    }

    String require(String name) {
        List<String> v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v.get(0);
    }

    int intOr(String name, int fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v.get(0));
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }
}
