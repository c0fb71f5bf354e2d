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

    /**
     * A user. {@code role} is the management role the user was given by name (the deprecated {@code role} field),
     * {@code roleUids} the RBAC roles it was given ({@code role_uids}); one of them is set.
     */
    static final class User {
        final int uid;
        final String email;
        final String name;
        volatile String role;
        volatile List<Integer> roleUids;
        final List<String> passwords = new ArrayList<>();
        final Deque<Instant> failures = new ArrayDeque<>();
        int failedLoginsTotal;
        Instant lockedUntil;

        User(int uid, String email, String name, String role, List<Integer> roleUids) {
            this.uid = uid;
            this.email = email;
            this.name = name;
            this.role = role;
            this.roleUids = roleUids == null ? List.of() : List.copyOf(roleUids);
        }
    }

    /** An RBAC role: {@code management} is what it may do on the cluster ({@code admin}, {@code db_viewer}, ...). */
    record Role(int uid, String name, String management) {
    }

    /** The outcome of a login attempt. */
    enum Login { OK, UNKNOWN_USER, WRONG_PASSWORD, LOCKED }

    private final Clock clock;
    private final Map<Integer, User> users = new LinkedHashMap<>();
    private final Map<Integer, Role> roles = new LinkedHashMap<>();
    private int nextUid = 1;
    private int nextRoleUid = 1;
    private int lockouts;

    RecUsers(Clock clock) {
        this.clock = clock;
        // The built-in roles, with the uids the documentation's example shows.
        for (String[] role : new String[][] {{"Admin", "admin"}, {"Cluster Member", "cluster_member"},
                {"Cluster Viewer", "cluster_viewer"}, {"DB Member", "db_member"}, {"DB Viewer", "db_viewer"},
                {"None", "none"}}) {
            addRole(role[0], role[1]);
        }
    }

    synchronized User add(String email, String role, String password) {
        return add(email, email, role, List.of(), password);
    }

    synchronized User add(String email, String name, String role, List<Integer> roleUids, String password) {
        if (find(email).isPresent()) {
            throw new IllegalArgumentException("user exists");
        }
        User user = new User(nextUid++, email, name, role, roleUids);
        user.passwords.add(password);
        users.put(user.uid, user);
        return user;
    }

    synchronized Optional<User> findByName(String name) {
        return users.values().stream().filter(u -> u.name.equals(name)).findFirst();
    }

    synchronized Role addRole(String name, String management) {
        Role role = new Role(nextRoleUid++, name, management);
        roles.put(role.uid(), role);
        return role;
    }

    synchronized List<Role> roles() {
        return List.copyOf(roles.values());
    }

    synchronized Optional<Role> role(int uid) {
        return Optional.ofNullable(roles.get(uid));
    }

    /** The built-in role of a management level, as an RBAC cluster shows a user given the deprecated {@code role}. */
    synchronized Optional<Role> builtInRole(String management) {
        return roles.values().stream().filter(r -> r.management().equals(management)).findFirst();
    }

    /** Whether the user may administer the cluster: role {@code admin}, or an RBAC role with management admin. */
    synchronized boolean admin(User user) {
        if ("admin".equals(user.role)) {
            return true;
        }
        return user.roleUids.stream().map(roles::get)
                .anyMatch(r -> r != null && "admin".equals(r.management()));
    }

    /** The user's RBAC role uids: those it was given, or the built-in role matching its deprecated role. */
    synchronized List<Integer> roleUids(User user) {
        if (!user.roleUids.isEmpty() || user.role == null) {
            return user.roleUids;
        }
        return builtInRole(user.role).map(r -> List.of(r.uid())).orElse(List.of());
    }

    /** Gives the user one management role (by its built-in role), replacing what it had. */
    synchronized void setRole(User user, String management) {
        user.role = management;
        user.roleUids = List.of();
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
