package io.rotor.testkit.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One line of a Redis ACL file: {@code user <name> <rule> <rule> ...}, for example
 * {@code AclUser.of("app", "on", ">secret", "~*", "+@all")}.
 *
 * <p>{@link #toString()} hides password rules ({@code >pw}, {@code <pw}, {@code #hash}, {@code !hash}) so a
 * failing assertion or a log line never prints one.
 */
public record AclUser(String name, List<String> rules) {

    public AclUser {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("ACL user names cannot be blank or contain whitespace");
        }
        rules = List.copyOf(rules);
        if (rules.stream().anyMatch(rule -> rule.isEmpty() || rule.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("ACL rules of user " + name + " cannot be empty or contain whitespace");
        }
    }

    public static AclUser of(String name, String... rules) {
        return new AclUser(name, List.of(rules));
    }

    /** An enabled user with full access and the given passwords: the usual shape of an application user in tests. */
    public static AclUser fullAccess(String name, String... passwords) {
        List<String> rules = new ArrayList<>(List.of("on", "~*", "&*", "+@all"));
        for (String password : passwords) {
            rules.add(">" + password);
        }
        return new AclUser(name, rules);
    }

    String aclFileLine() {
        return "user " + name + " " + String.join(" ", rules);
    }

    @Override
    public String toString() {
        return "AclUser[name=" + name + ", rules=" + rules.stream().map(AclUser::maskSecret)
                .collect(Collectors.joining(" ", "[", "]")) + "]";
    }

    private static String maskSecret(String rule) {
        char first = rule.charAt(0);
        boolean secret = first == '>' || first == '<' || first == '#' || first == '!';
        return secret ? first + "[hidden]" : rule;
    }
}
