package io.rotor.testkit.rec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    static final Duration LOCKOUT_COUNTER_RESET_AFTER = Duration.ofMinutes(15);
    static final Duration LOCKOUT_DURATION = Duration.ofMinutes(30);

    /**
     * The cluster's lockout policy ({@code GET /v1/cluster/policy}): {@code threshold} failed logins lock the account
     * (0: never), for {@code duration} (zero: until an admin resets its password); the counter goes back to zero only
     * after {@code counterResetAfter} without a failed login — not on a success, and not in a sliding window.
     */
    record LockoutPolicy(int threshold, Duration duration, Duration counterResetAfter) {
        static final LockoutPolicy DEFAULT = new LockoutPolicy(LOCKOUT_FAILURES, LOCKOUT_DURATION,
                LOCKOUT_COUNTER_RESET_AFTER);
    }

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
        int failures;
        Instant lastFailure;
        int failedLoginsTotal;
        boolean locked;
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
    private LockoutPolicy policy = LockoutPolicy.DEFAULT;

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

    /**
     * A Basic-auth login. A failure counts unless the counter was quiet for the policy's reset period (then it starts
     * again at one); reaching the threshold locks the account. A success leaves the counter alone: only time resets it.
     */
    synchronized Login login(String email, String password) {
        Optional<User> found = find(email);
        if (found.isEmpty()) {
            return Login.UNKNOWN_USER;
        }
        User user = found.get();
        Instant now = clock.instant();
        if (locked(user, now)) {
            return Login.LOCKED;
        }
        if (user.passwords.contains(password)) {
            return Login.OK;
        }
        user.failedLoginsTotal++;
        forgetIfQuiet(user, now);
        user.failures++;
        user.lastFailure = now;
        if (policy.threshold() > 0 && user.failures >= policy.threshold()) {
            user.locked = true;
            user.lockedUntil = policy.duration().isZero() ? null : now.plus(policy.duration());
            user.failures = 0;
            lockouts++;
        }
        return Login.WRONG_PASSWORD;
    }

    /** The counter as the cluster holds it now (failed logins not yet forgotten). */
    synchronized int failuresInWindow(String email) {
        return find(email).map(u -> {
            forgetIfQuiet(u, clock.instant());
            return u.failures;
        }).orElse(0);
    }

    synchronized LockoutPolicy policy() {
        return policy;
    }

    synchronized void policy(LockoutPolicy policy) {
        this.policy = policy;
    }

    /** An admin's password reset ({@code PUT /v1/users/{uid}} with a password): one password, unlocked. */
    synchronized void resetPassword(User user, String password) {
        user.passwords.clear();
        user.passwords.add(password);
        user.locked = false;
        user.lockedUntil = null;
        user.failures = 0;
    }

    synchronized boolean locked(User user) {
        return locked(user, clock.instant());
    }

    private boolean locked(User user, Instant now) {
        if (user.locked && user.lockedUntil != null && !now.isBefore(user.lockedUntil)) {
            user.locked = false;
            user.lockedUntil = null;
        }
        return user.locked;
    }

    private void forgetIfQuiet(User user, Instant now) {
        if (user.lastFailure != null && !now.isBefore(user.lastFailure.plus(policy.counterResetAfter()))) {
            user.failures = 0;
        }
    }

    synchronized int failedLoginsTotal(String email) {
        return find(email).map(u -> u.failedLoginsTotal).orElse(0);
    }

    synchronized boolean locked(String email) {
        return find(email).map(this::locked).orElse(false);
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
}
