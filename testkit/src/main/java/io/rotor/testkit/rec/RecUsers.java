package io.rotor.testkit.rec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user store of the Redis Enterprise fake: users with password lists, failed logins and lockout, as
 * {@code reference/platform-facts.md} describes them. Thread-safe (one lock). Passwords are kept in plain text: this
 * is a test double, and tests ask it which values work without logging in (a login would count as a failure).
 */
final class RecUsers {

    static final int LOCKOUT_FAILURES = 5;
    static final Duration LOCKOUT_WINDOW = Duration.ofMinutes(15);
    static final Duration LOCKOUT_DURATION = Duration.ofMinutes(30);

    static final class User {
        final int uid;
        final String email;
        final String name;
        final String role;
        final List<String> passwords = new ArrayList<>();
        final Deque<Instant> failures = new ArrayDeque<>();
        int failedLoginsTotal;
        Instant lockedUntil;

        User(int uid, String email, String name, String role) {
            this.uid = uid;
            this.email = email;
            this.name = name;
            this.role = role;
        }

        boolean admin() {
            return "admin".equals(role);
        }
    }

    /** The outcome of a login attempt. */
    enum Login { OK, UNKNOWN_USER, WRONG_PASSWORD, LOCKED }

    private final Clock clock;
    private final Map<Integer, User> users = new LinkedHashMap<>();
    private int nextUid = 1;
    private int lockouts;

    RecUsers(Clock clock) {
        this.clock = clock;
    }

    synchronized User add(String email, String role, String password) {
        if (find(email).isPresent()) {
            throw new IllegalArgumentException("user exists");
        }
        User user = new User(nextUid++, email, email, role);
        user.passwords.add(password);
        users.put(user.uid, user);
        return user;
    }

    synchronized Optional<User> find(String email) {
        return users.values().stream().filter(u -> u.email.equals(email)).findFirst();
    }

    synchronized Optional<User> byUid(int uid) {
        return Optional.ofNullable(users.get(uid));
    }

    synchronized List<User> all() {
        return List.copyOf(users.values());
    }

    synchronized boolean remove(int uid) {
        return users.remove(uid) != null;
    }

    /** A Basic-auth login: counts failures, locks after five in fifteen minutes for thirty. */
    synchronized Login login(String email, String password) {
        Optional<User> found = find(email);
        if (found.isEmpty()) {
            return Login.UNKNOWN_USER;
        }
        User user = found.get();
        Instant now = clock.instant();
        if (user.lockedUntil != null && now.isBefore(user.lockedUntil)) {
            return Login.LOCKED;
        }
        if (user.passwords.contains(password)) {
            return Login.OK;
        }
        user.failedLoginsTotal++;
        user.failures.addLast(now);
        prune(user, now);
        if (user.failures.size() >= LOCKOUT_FAILURES) {
            user.lockedUntil = now.plus(LOCKOUT_DURATION);
            user.failures.clear();
            lockouts++;
        }
        return Login.WRONG_PASSWORD;
    }

    synchronized int failuresInWindow(String email) {
        return find(email).map(u -> {
            prune(u, clock.instant());
            return u.failures.size();
        }).orElse(0);
    }

    synchronized int failedLoginsTotal(String email) {
        return find(email).map(u -> u.failedLoginsTotal).orElse(0);
    }

    synchronized boolean locked(String email) {
        return find(email).map(u -> u.lockedUntil != null && clock.instant().isBefore(u.lockedUntil)).orElse(false);
    }

    synchronized int lockouts() {
        return lockouts;
    }

    synchronized List<String> passwords(String email) {
        return find(email).map(u -> List.copyOf(u.passwords)).orElse(List.of());
    }

    synchronized void mutate(User user, Runnable change) {
        change.run();
    }

    private static void prune(User user, Instant now) {
        Instant horizon = now.minus(LOCKOUT_WINDOW);
        while (!user.failures.isEmpty() && !user.failures.peekFirst().isAfter(horizon)) {
            user.failures.removeFirst();
        }
    }
}
