package io.rotor.testkit.keystone;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Everything the fake Keystone knows, and Keystone's rules over it, as observed on Keystone 22 (Debian bookworm) and
 * read in its source: {@code identity/backends/sql.py} (lockout, history, minimum age), {@code identity/core.py}
 * (change_password: authenticate, then password_regex, then age and history, then revoke the user's tokens),
 * {@code models/revoke_model.py} (a revocation covers tokens issued up to the change's second, inclusive). All methods
 * are synchronized: the HTTP thread and the test thread share it.
 */
final class FakeKeystoneState {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    /** @param expiresAt when Keystone stops accepting it for a login; null = never */
    record PasswordEntry(String password, Instant createdAt, boolean selfService, Instant expiresAt) {
    }

    static final class User {
        final String id;
        final String name;
        final String domainId;
        boolean enabled = true;
        /** The user option {@code ignore_change_password_upon_first_use}. */
        boolean ignoreChangePasswordUponFirstUse;
        final List<PasswordEntry> passwords = new ArrayList<>();
        int failedAuthCount;
        Instant failedAuthAt;

        User(String id, String name, String domainId) {
            this.id = id;
            this.name = name;
            this.domainId = domainId;
        }

        PasswordEntry current() {
            return passwords.isEmpty() ? null : passwords.get(passwords.size() - 1);
        }
    }

    record Domain(String id, String name) {
    }

    record Project(String id, String name, String domainId) {
    }

    record Role(String id, String name) {
    }

    record Grant(String userId, String projectId, String roleId) {
    }

    record Token(String id, String userId, Instant issuedAt, Instant expiresAt, String projectId, List<String> roleIds,
            String applicationCredentialId, String method) {
    }

    record ApplicationCredential(String id, String name, String description, String userId, String projectId,
            String secret, List<String> roleIds, Instant expiresAt, boolean unrestricted) {
    }

    private final Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final Map<String, Project> projects = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Set<Grant> grants = new HashSet<>();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new LinkedHashMap<>();
    private final Map<String, Instant> revokedUpTo = new LinkedHashMap<>();
    private final Map<String, ApplicationCredential> applicationCredentials = new LinkedHashMap<>();
    private SecurityCompliance rules = SecurityCompliance.none();

    FakeKeystoneState(Supplier<Instant> clock, String adminPassword) {
        this.clock = clock;
        Domain defaultDomain = new Domain(Keystone.DEFAULT_DOMAIN_ID, Keystone.DEFAULT_DOMAIN_NAME);
        domains.put(defaultDomain.id(), defaultDomain);
        Role admin = addRole("admin");
        addRole("member");
        addRole("reader");
        Project adminProject = createProject(Keystone.ADMIN_PROJECT, Keystone.DEFAULT_DOMAIN_ID);
        User adminUser = createUser(Keystone.ADMIN_USER, Keystone.DEFAULT_DOMAIN_ID, adminPassword);
        grants.add(new Grant(adminUser.id, adminProject.id(), admin.id()));
    }

    private boolean insecureDebug;

    synchronized void rules(SecurityCompliance rules) {
        this.rules = Objects.requireNonNull(rules);
    }

    synchronized SecurityCompliance rules() {
        return rules;
    }

    /** Keystone's {@code [DEFAULT] insecure_debug}: a locked account's login says so instead of the plain 401. */
    synchronized void insecureDebug(boolean on) {
        this.insecureDebug = on;
    }

    // ---- authentication -------------------------------------------------------------------------------------------

    /**
     * Keystone's sql backend {@code authenticate}, in its order: lockout, password (a failure is counted), enabled,
     * expiry. A locked account is a plain 401 (Keystone's audit wrapper turns AccountLocked into a bare Unauthorized;
     * {@link #insecureDebug} keeps the older fake's choice of saying so); a disabled user (seen only by a password
     * change: a login checks enabled earlier) and an expired password say so with the user's id, and neither counts as
     * a failure nor resets the count.
     */
    synchronized User authenticate(User user, String password) {
        User authenticated = authenticateAllowingExpired(user, password);
        PasswordEntry current = authenticated.current();
        if (current.expiresAt() != null && !now().isBefore(current.expiresAt())) {
            throw new KeystoneApiError(401, "The password is expired and needs to be changed for user: " + user.id
                    + ".");
        }
        return authenticated;
    }

    /** {@code identity/core.py change_password}: an expired password may still be changed by its user. */
    private User authenticateAllowingExpired(User user, String password) {
        if (user == null) {
            throw KeystoneApiError.unauthorized();
        }
        if (locked(user)) {
            throw insecureDebug ? KeystoneApiError.accountLocked(user.id) : KeystoneApiError.unauthorized();
        }
        PasswordEntry current = user.current();
        if (current == null || !current.password().equals(password)) {
            user.failedAuthCount++;
            user.failedAuthAt = now();
            throw KeystoneApiError.unauthorized();
        }
        if (!user.enabled) {
            throw new KeystoneApiError(401, "The account is disabled for user: " + user.id + ".");
        }
        user.failedAuthCount = 0;
        user.failedAuthAt = null;
        return user;
    }

    private boolean locked(User user) {
        int max = rules.lockoutFailureAttempts();
        if (max == 0 || user.failedAuthCount < max) {
            return false;
        }
        if (user.failedAuthAt.plus(rules.lockoutDuration()).isAfter(now())) {
            return true;
        }
        user.failedAuthCount = 0;
        user.failedAuthAt = null;
        return false;
    }

    synchronized Token issuePasswordToken(User user, String password, Project scope) {
        // auth/plugins/core.py checks that the user is enabled before the password: a bare 401, nothing counted.
        if (user != null && !user.enabled) {
            throw KeystoneApiError.unauthorized();
        }
        authenticate(user, password);
        List<String> roleIds = List.of();
        if (scope != null) {
            roleIds = rolesOn(user.id, scope.id());
            if (roleIds.isEmpty()) {
                throw KeystoneApiError.unauthorized();
            }
        }
        return issue(user.id, scope == null ? null : scope.id(), roleIds, null, "password");
    }

    synchronized Token issueApplicationCredentialToken(ApplicationCredential credential, String secret) {
        User user = users.get(credential.userId());
        if (!credential.secret().equals(secret) || user == null || !user.enabled
                || credential.expiresAt() != null && !credential.expiresAt().isAfter(now())) {
            throw KeystoneApiError.unauthorized();
        }
        return issue(user.id, credential.projectId(), credential.roleIds(), credential.id(), "application_credential");
    }

    private Token issue(String userId, String projectId, List<String> roleIds, String applicationCredentialId,
            String method) {
        Instant now = now();
        // Fernet tokens carry whole seconds; Keystone compares revocations against that.
        Token token = new Token(newTokenId(), userId, now.truncatedTo(ChronoUnit.SECONDS), now.plus(TOKEN_LIFETIME),
                projectId, List.copyOf(roleIds), applicationCredentialId, method);
        tokens.put(token.id(), token);
        return token;
    }

    /** The token if Keystone would still accept it. */
    synchronized Optional<Token> validToken(String id) {
        Token token = id == null ? null : tokens.get(id);
        if (token == null || !token.expiresAt().isAfter(now())) {
            return Optional.empty();
        }
        User user = users.get(token.userId());
        if (user == null || !user.enabled) {
            return Optional.empty();
        }
        Instant revoked = revokedUpTo.get(token.userId());
        if (revoked != null && !token.issuedAt().isAfter(revoked)) {
            return Optional.empty();
        }
        if (token.applicationCredentialId() != null
                && !applicationCredentials.containsKey(token.applicationCredentialId())) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    synchronized boolean isAdmin(Token token) {
        Role admin = roleByName("admin").orElseThrow();
        return token.roleIds().contains(admin.id());
    }

    /** Keystone's revocation event for a user: every token issued in this second or before is dead. */
    private void revokeTokensOf(String userId) {
        revokedUpTo.put(userId, now().truncatedTo(ChronoUnit.SECONDS));
    }

    // ---- passwords ------------------------------------------------------------------------------------------------

    /** {@code POST /v3/users/{id}/password}, in Keystone's order of checks. */
    synchronized void changePassword(String userId, String original, String password) {
        User user = authenticateAllowingExpired(users.get(userId), original);
        checkRegex(password);
        PasswordEntry current = user.current();
        if (rules.minimumPasswordAgeDays() > 0 && current != null && current.selfService()) {
            Instant allowedFrom = current.createdAt().plus(Duration.ofDays(rules.minimumPasswordAgeDays()));
            if (now().isBefore(allowedFrom)) {
                long daysLeft = Duration.between(now(), allowedFrom).toDays();
                throw KeystoneApiError.badRequest("You cannot change your password at this time due to the minimum "
                        + "password age. Once you change your password, it must be used for "
                        + rules.minimumPasswordAgeDays() + " day(s) before it can be changed. Please try again in "
                        + daysLeft + " day(s) or contact your administrator to reset your password.");
            }
        }
        int unique = rules.uniqueLastPasswordCount();
        if (unique > 0) {
            List<PasswordEntry> recent = user.passwords.subList(Math.max(0, user.passwords.size() - unique),
                    user.passwords.size());
            if (recent.stream().anyMatch(p -> p.password().equals(password))) {
                throw KeystoneApiError.badRequest("The new password cannot be identical to a previous password. The "
                        + "total number which includes the new password must be unique is " + unique + ".");
            }
        }
        user.passwords.add(new PasswordEntry(password, now(), true, null));
        revokeTokensOf(user.id);
    }

    /** {@code PATCH /v3/users/{id}} with a password: the regex applies, history and minimum age do not. */
    synchronized User resetPassword(String userId, String password) {
        User user = requireUser(userId);
        checkRegex(password);
        user.passwords.add(adminSet(user, password));
        revokeTokensOf(user.id);
        return user;
    }

    /** A password an administrator set: expired at once under {@code change_password_upon_first_use}. */
    private PasswordEntry adminSet(User user, String password) {
        boolean expired = rules.changePasswordUponFirstUse() && !user.ignoreChangePasswordUponFirstUse;
        return new PasswordEntry(password, now(), false, expired ? now() : null);
    }

    /** {@code PATCH /v3/users/{id}} with {@code enabled}. */
    synchronized User enable(String userId, boolean enabled) {
        User user = requireUser(userId);
        user.enabled = enabled;
        if (!enabled) {
            revokeTokensOf(userId);
        }
        return user;
    }

    /** {@code PATCH /v3/users/{id}} with {@code options.ignore_change_password_upon_first_use}. */
    synchronized User ignoreChangePasswordUponFirstUse(String userId, boolean ignore) {
        User user = requireUser(userId);
        user.ignoreChangePasswordUponFirstUse = ignore;
        return user;
    }

    private void checkRegex(String password) {
        if (rules.passwordRegex() != null && !Pattern.compile(rules.passwordRegex()).matcher(password).lookingAt()) {
            throw KeystoneApiError.badRequest("The password does not match the requirements: "
                    + rules.passwordRegexDescription() + ".");
        }
    }

    // ---- users, projects, roles -----------------------------------------------------------------------------------

    synchronized User createUser(String name, String domainId, String password) {
        if (!domains.containsKey(domainId)) {
            throw new KeystoneApiError(404, "Could not find domain: " + domainId + ".");
        }
        if (findUser(name, domainId).isPresent()) {
            throw new KeystoneApiError(409, "Conflict occurred attempting to store user - Duplicate entry found with "
                    + "name " + name + " at domain ID " + domainId + ".");
        }
        if (password != null) {
            checkRegex(password);
        }
        User user = new User(newId(), name, domainId);
        if (password != null) {
            user.passwords.add(adminSet(user, password));
        }
        users.put(user.id, user);
        return user;
    }

    synchronized void deleteUser(String userId) {
        requireUser(userId);
        users.remove(userId);
        grants.removeIf(g -> g.userId().equals(userId));
        applicationCredentials.values().removeIf(c -> c.userId().equals(userId));
    }

    synchronized Optional<User> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    synchronized User requireUser(String id) {
        User user = users.get(id);
        if (user == null) {
            throw new KeystoneApiError(404, "Could not find user: " + id + ".");
        }
        return user;
    }

    synchronized Optional<User> findUser(String name, String domainId) {
        return users.values().stream().filter(u -> u.name.equals(name) && u.domainId.equals(domainId)).findFirst();
    }

    synchronized Optional<Domain> domainById(String id) {
        return Optional.ofNullable(domains.get(id));
    }

    synchronized Optional<Domain> domainByName(String name) {
        return domains.values().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    synchronized Project createProject(String name, String domainId) {
        if (projects.values().stream().anyMatch(p -> p.name().equals(name) && p.domainId().equals(domainId))) {
            throw new KeystoneApiError(409, "Conflict occurred attempting to store project - it is not permitted to "
                    + "have two projects with the same name in the same domain : " + name + ".");
        }
        Project project = new Project(newId(), name, domainId);
        projects.put(project.id(), project);
        return project;
    }

    synchronized Optional<Project> project(String id) {
        return Optional.ofNullable(projects.get(id));
    }

    synchronized Optional<Project> findProject(String name, String domainId) {
        return projects.values().stream().filter(p -> p.name().equals(name) && p.domainId().equals(domainId))
                .findFirst();
    }

    private Role addRole(String name) {
        Role role = new Role(newId(), name);
        roles.put(role.id(), role);
        return role;
    }

    synchronized Optional<Role> roleByName(String name) {
        return roles.values().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    synchronized Optional<Role> role(String id) {
        return Optional.ofNullable(roles.get(id));
    }

    synchronized List<Role> allRoles() {
        return List.copyOf(roles.values());
    }

    synchronized void grant(String userId, String projectId, String roleId) {
        requireUser(userId);
        if (!projects.containsKey(projectId)) {
            throw new KeystoneApiError(404, "Could not find project: " + projectId + ".");
        }
        if (!roles.containsKey(roleId)) {
            throw new KeystoneApiError(404, "Could not find role: " + roleId + ".");
        }
        grants.add(new Grant(userId, projectId, roleId));
    }

    /** The user's roles on a project; like Keystone, {@code admin} implies member and reader. */
    private List<String> rolesOn(String userId, String projectId) {
        Set<String> names = new HashSet<>();
        grants.stream().filter(g -> g.userId().equals(userId) && g.projectId().equals(projectId))
                .map(g -> roles.get(g.roleId()).name()).forEach(names::add);
        if (names.contains("admin")) {
            names.add("member");
        }
        if (names.contains("member")) {
            names.add("reader");
        }
        return roles.values().stream().filter(r -> names.contains(r.name())).map(Role::id).toList();
    }

    // ---- application credentials ----------------------------------------------------------------------------------

    synchronized ApplicationCredential createApplicationCredential(Token token, String userId, String name,
            String description, String givenSecret, List<String> requestedRoleIds, Instant expiresAt,
            boolean unrestricted) {
        requireOwner(token, userId, "identity:create_application_credential");
        if (expiresAt != null && expiresAt.isBefore(now())) {
            throw KeystoneApiError.badRequest("The 'expires_at' must not be before now. The server could not comply "
                    + "with the request since it is either malformed or otherwise incorrect. The client is assumed "
                    + "to be in error.");
        }
        List<String> roleIds = requestedRoleIds == null ? token.roleIds() : requestedRoleIds;
        if (!token.roleIds().containsAll(roleIds)) {
            throw KeystoneApiError.badRequest(
                    "Invalid application credential: Cannot create an application credential with unassigned role");
        }
        if (applicationCredentials.values().stream().anyMatch(c -> c.userId().equals(userId) && c.name().equals(name))) {
            throw new KeystoneApiError(409, "Conflict occurred attempting to store application_credential - "
                    + "Duplicate entry found with name " + name + ".");
        }
        String secret = givenSecret;
        if (secret == null) {
            byte[] bytes = new byte[64];
            random.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        ApplicationCredential credential = new ApplicationCredential(newId(), name, description, userId,
                token.projectId(), secret, List.copyOf(roleIds), expiresAt, unrestricted);
        applicationCredentials.put(credential.id(), credential);
        return credential;
    }

    synchronized List<ApplicationCredential> applicationCredentials(Token token, String userId, String name) {
        if (!token.userId().equals(userId) && !isAdmin(token)) {
            throw KeystoneApiError.forbidden("identity:list_application_credentials");
        }
        return applicationCredentials.values().stream()
                .filter(c -> c.userId().equals(userId) && (name == null || c.name().equals(name))).toList();
    }

    synchronized void deleteApplicationCredential(Token token, String userId, String credentialId) {
        requireOwner(token, userId, "identity:delete_application_credential");
        ApplicationCredential credential = applicationCredentials.get(credentialId);
        if (credential == null || !credential.userId().equals(userId)) {
            throw notFoundApplicationCredential(credentialId);
        }
        applicationCredentials.remove(credentialId);
    }

    synchronized ApplicationCredential applicationCredential(String id) {
        ApplicationCredential credential = applicationCredentials.get(id);
        if (credential == null) {
            throw notFoundApplicationCredential(id);
        }
        return credential;
    }

    synchronized Optional<ApplicationCredential> applicationCredentialByName(String userId, String name) {
        return applicationCredentials.values().stream()
                .filter(c -> c.userId().equals(userId) && c.name().equals(name)).findFirst();
    }

    /** Only the owner manages application credentials, and not with a restricted one (Keystone's policy). */
    private void requireOwner(Token token, String userId, String action) {
        if (!token.userId().equals(userId)) {
            throw KeystoneApiError.forbidden(action);
        }
        if (token.applicationCredentialId() != null) {
            ApplicationCredential used = applicationCredentials.get(token.applicationCredentialId());
            if (used != null && !used.unrestricted()) {
                throw KeystoneApiError.forbidden("Using method 'application_credential' is not allowed for managing "
                        + "additional application credentials.");
            }
        }
    }

    private static KeystoneApiError notFoundApplicationCredential(String id) {
        return new KeystoneApiError(404, "Could not find Application Credential: " + id + ".");
    }

    // ---- for tests ------------------------------------------------------------------------------------------------

    synchronized int failedAuthCount(String userId) {
        return requireUser(userId).failedAuthCount;
    }

    synchronized int passwordCount(String userId) {
        return requireUser(userId).passwords.size();
    }

    synchronized int liveApplicationCredentials(String userId) {
        return (int) applicationCredentials.values().stream().filter(c -> c.userId().equals(userId)).count();
    }

    Instant now() {
        return clock.get();
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private String newTokenId() {
        byte[] bytes = new byte[96];
        random.nextBytes(bytes);
        return "gAAAAA" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
