package io.rotor.testkit.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Kubernetes' RBAC authorizer for resource requests, over a fixed set of ClusterRoles, ClusterRoleBindings, Roles
 * and RoleBindings (other objects are ignored). It follows {@code plugin/pkg/auth/authorizer/rbac} and
 * {@code pkg/registry/rbac/validation/rule.go} of Kubernetes 1.33:
 * <ul>
 * <li>ClusterRoleBindings are visited first, then (for a namespaced request only) the RoleBindings of the request's
 * namespace; the first rule that allows the request decides, and the reason names its binding the way the API server
 * does, e.g. {@code RBAC: allowed by RoleBinding "alice-view/team-a" of ClusterRole "rotor-viewer" to User "alice"};</li>
 * <li>a rule allows when verb, API group, resource ({@code resource/subresource} for a subresource, or
 * {@code *}&#47;{@code subresource}) and resource name match; {@code *} matches any verb, group or resource; a rule
 * with {@code resourceNames} allows only requests that name one of them (never a list or a create without a
 * name);</li>
 * <li>subjects: {@code User} by user name, {@code Group} by membership, {@code ServiceAccount} by the user name
 * {@code system:serviceaccount:NS:NAME}, NS defaulting to a RoleBinding's namespace;</li>
 * <li>a RoleBinding grants a Role of its namespace or a ClusterRole, in its namespace only; a ClusterRoleBinding grants
 * a ClusterRole everywhere, and in cluster-scoped requests;</li>
 * <li>a ClusterRole with an {@code aggregationRule} has, as kube-controller-manager's aggregation controller keeps
 * it, the rules of every other ClusterRole matching one of its selectors (its own {@code rules} are replaced), nested
 * aggregations included;</li>
 * <li>RBAC never denies: a request no rule allows has no decision ({@link Decision#allowed()} false), and the reason
 * is empty unless a binding referred to a missing role.</li>
 * </ul>
 * Not modelled: non-resource requests, the API server's other authorizers (Node, webhooks, the {@code system:masters}
 * group's unconditional access) and the bootstrap roles a real cluster has.
 */
public final class RbacAuthorizer {

    private static final String ROLE = "Role";
    private static final String CLUSTER_ROLE = "ClusterRole";

    /**
     * What a request does, as in a SubjectAccessReview's {@code resourceAttributes}: namespace ({@code ""} for a
     * cluster-scoped request or one across all namespaces), verb, API group ({@code ""} for the core group),
     * resource, subresource and object name ({@code ""} when none).
     */
    public record Attributes(String namespace, String verb, String apiGroup, String resource, String subresource,
            String name) {

        public Attributes {
            namespace = Objects.requireNonNullElse(namespace, "");
            verb = Objects.requireNonNullElse(verb, "");
            apiGroup = Objects.requireNonNullElse(apiGroup, "");
            resource = Objects.requireNonNullElse(resource, "");
            subresource = Objects.requireNonNullElse(subresource, "");
            name = Objects.requireNonNullElse(name, "");
        }

        public static Attributes namespaced(String namespace, String verb, String apiGroup, String resource,
                String name) {
            return new Attributes(namespace, verb, apiGroup, resource, "", name);
        }

        public static Attributes clusterWide(String verb, String apiGroup, String resource, String name) {
            return new Attributes("", verb, apiGroup, resource, "", name);
        }

        public Attributes withSubresource(String subresource) {
            return new Attributes(namespace, verb, apiGroup, resource, subresource, name);
        }
    }

    /** RBAC's answer: allowed or no opinion, and the API server's reason ({@code ""} when it gives none). */
    public record Decision(boolean allowed, String reason) {
    }

    private final Map<String, ClusterRole> clusterRoles = new LinkedHashMap<>();
    private final Map<String, Role> roles = new HashMap<>();
    private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    private final List<RoleBinding> roleBindings = new ArrayList<>();
    /** Effective rules per ClusterRole name, aggregation resolved once: the objects do not change. */
    private final Map<String, List<PolicyRule>> clusterRoleRules = new HashMap<>();

    /** Takes the RBAC objects among {@code objects}; a namespaced one without a namespace applies nowhere. */
    public RbacAuthorizer(Collection<?> objects) {
        for (Object object : objects) {
            if (object instanceof ClusterRole role) {
                clusterRoles.put(role.getMetadata().getName(), role);
            } else if (object instanceof Role role && !isEmpty(role.getMetadata().getNamespace())) {
                roles.put(key(role.getMetadata().getNamespace(), role.getMetadata().getName()), role);
            } else if (object instanceof ClusterRoleBinding binding) {
                clusterRoleBindings.add(binding);
            } else if (object instanceof RoleBinding binding) {
                roleBindings.add(binding);
            }
        }
        for (String name : clusterRoles.keySet()) {
            clusterRoleRules.put(name, effectiveRules(name, new HashSet<>()));
        }
    }

    /** The RBAC objects of a YAML or JSON stream, one document or several. */
    public static RbacAuthorizer fromYaml(InputStream yaml) {
        return new RbacAuthorizer(read(yaml));
    }

    /** The RBAC objects of every file, e.g. a deployment's {@code rbac.yaml} files together. */
    public static RbacAuthorizer fromYaml(Path... files) {
        List<Object> objects = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                objects.addAll(read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return new RbacAuthorizer(objects);
    }

    private static List<?> read(InputStream yaml) {
        Object parsed = new KubernetesSerialization().unmarshal(Objects.requireNonNull(yaml, "yaml"));
        List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
        return documents.stream().filter(Objects::nonNull).toList();
    }

    /** Decides for {@code identity}'s user name and groups (as given: add {@code system:authenticated} if meant). */
    public Decision authorize(Identity identity, Attributes request) {
        return authorize(identity.username(), identity.groups(), request);
    }

    /**
     * Decides for a user name (may be {@code ""}) and groups, as a SubjectAccessReview's {@code spec.user} and
     * {@code spec.groups}.
     */
    public Decision authorize(String username, Collection<String> groups, Attributes request) {
        String user = Objects.requireNonNullElse(username, "");
        Set<String> groupSet = groups == null ? Set.of() : new HashSet<>(groups);
        Set<String> errors = new LinkedHashSet<>();
        for (ClusterRoleBinding binding : clusterRoleBindings) {
            Subject subject = firstApplying(binding.getSubjects(), user, groupSet, "");
            if (subject == null) {
                continue;
            }
            List<PolicyRule> rules = roleReferenceRules(binding.getRoleRef(), "", errors);
            if (rules.stream().anyMatch(rule -> allows(rule, request))) {
                return new Decision(true, String.format("RBAC: allowed by ClusterRoleBinding %s of %s %s to %s",
                        quote(binding.getMetadata().getName()), binding.getRoleRef().getKind(),
                        quote(binding.getRoleRef().getName()), describe(subject, "")));
            }
        }
        if (!request.namespace().isEmpty()) {
            for (RoleBinding binding : roleBindings) {
                String namespace = binding.getMetadata().getNamespace();
                if (!request.namespace().equals(namespace)) {
                    continue;
                }
                Subject subject = firstApplying(binding.getSubjects(), user, groupSet, namespace);
                if (subject == null) {
                    continue;
                }
                List<PolicyRule> rules = roleReferenceRules(binding.getRoleRef(), namespace, errors);
                if (rules.stream().anyMatch(rule -> allows(rule, request))) {
                    return new Decision(true, String.format("RBAC: allowed by RoleBinding %s of %s %s to %s",
                            quote(binding.getMetadata().getName() + "/" + namespace),
                            binding.getRoleRef().getKind(), quote(binding.getRoleRef().getName()),
                            describe(subject, namespace)));
                }
            }
        }
        // Kubernetes' error aggregate: one message alone, several in brackets, duplicates once.
        String reason = errors.isEmpty() ? ""
                : "RBAC: " + (errors.size() == 1 ? errors.iterator().next() : "[" + String.join(", ", errors) + "]");
        return new Decision(false, reason);
    }

    /** The rules a binding's roleRef grants, or none (and an error, as the API server words it) if it is missing. */
    private List<PolicyRule> roleReferenceRules(RoleRef ref, String bindingNamespace, Set<String> errors) {
        String kind = ref == null ? "" : Objects.requireNonNullElse(ref.getKind(), "");
        String name = ref == null ? "" : ref.getName();
        switch (kind) {
            case ROLE -> {
                Role role = roles.get(key(bindingNamespace, name));
                if (role == null) {
                    errors.add("role.rbac.authorization.k8s.io " + quote(name) + " not found");
                    return List.of();
                }
                return nonNull(role.getRules());
            }
            case CLUSTER_ROLE -> {
                List<PolicyRule> rules = clusterRoleRules.get(name);
                if (rules == null) {
                    errors.add("clusterrole.rbac.authorization.k8s.io " + quote(name) + " not found");
                    return List.of();
                }
                return rules;
            }
            default -> {
                errors.add("unsupported role reference kind: " + quote(kind));
                return List.of();
            }
        }
    }

    /**
     * The aggregation controller replaces an aggregated role's rules with those of the roles it selects, which may be
     * aggregated themselves; {@code visiting} stops a cycle, which the controller would never settle either.
     */
    private List<PolicyRule> effectiveRules(String name, Set<String> visiting) {
        ClusterRole role = clusterRoles.get(name);
        if (role.getAggregationRule() == null) {
            return nonNull(role.getRules());
        }
        visiting.add(name);
        Set<PolicyRule> rules = new LinkedHashSet<>();
        List<LabelSelector> selectors = nonNull(role.getAggregationRule().getClusterRoleSelectors());
        for (ClusterRole other : clusterRoles.values()) {
            String otherName = other.getMetadata().getName();
            if (visiting.contains(otherName)) {
                continue;
            }
            Map<String, String> labels = Objects.requireNonNullElse(other.getMetadata().getLabels(), Map.of());
            if (selectors.stream().anyMatch(selector -> matches(selector, labels))) {
                rules.addAll(effectiveRules(otherName, visiting));
            }
        }
        visiting.remove(name);
        return List.copyOf(rules);
    }

    /** metav1.LabelSelectorAsSelector: an empty selector selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
        for (Map.Entry<String, String> label : matchLabels.entrySet()) {
            if (!label.getValue().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement requirement : nonNull(selector.getMatchExpressions())) {
            String value = labels.get(requirement.getKey());
            List<String> values = nonNull(requirement.getValues());
            boolean ok = switch (Objects.requireNonNullElse(requirement.getOperator(), "")) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                // The controller cannot parse it, and aggregates nothing through it.
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Subject firstApplying(List<Subject> subjects, String user, Set<String> groups,
            String bindingNamespace) {
        for (Subject subject : nonNull(subjects)) {
            if (appliesTo(subject, user, groups, bindingNamespace)) {
                return subject;
            }
        }
        return null;
    }

    private static boolean appliesTo(Subject subject, String user, Set<String> groups, String bindingNamespace) {
        String kind = Objects.requireNonNullElse(subject.getKind(), "");
        return switch (kind) {
            case "User" -> user.equals(subject.getName());
            case "Group" -> groups.contains(subject.getName());
            case "ServiceAccount" -> {
                String namespace = isEmpty(subject.getNamespace()) ? bindingNamespace : subject.getNamespace();
                yield !namespace.isEmpty() && user.equals(Identity.serviceAccountUsername(namespace, subject.getName()));
            }
            default -> false;
        };
    }

    /** rbac.go's RuleAllows for a resource request. */
    static boolean allows(PolicyRule rule, Attributes request) {
        return anyOrEqual(rule.getVerbs(), request.verb())
                && anyOrEqual(rule.getApiGroups(), request.apiGroup())
                && resourceMatches(nonNull(rule.getResources()), request)
                && (nonNull(rule.getResourceNames()).isEmpty() || rule.getResourceNames().contains(request.name()));
    }

    private static boolean anyOrEqual(List<String> ruleValues, String requested) {
        for (String value : nonNull(ruleValues)) {
            if (value.equals("*") || value.equals(requested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceMatches(List<String> ruleResources, Attributes request) {
        String sub = request.subresource();
        String combined = sub.isEmpty() ? request.resource() : request.resource() + "/" + sub;
        for (String resource : ruleResources) {
            if (resource.equals("*") || resource.equals(combined)
                    || (!sub.isEmpty() && resource.equals("*/" + sub))) {
                return true;
            }
        }
        return false;
    }

    /** describeSubject: a ServiceAccount as name/namespace, anything else by name. */
    private static String describe(Subject subject, String bindingNamespace) {
        if ("ServiceAccount".equals(subject.getKind())) {
            String namespace = isEmpty(subject.getNamespace()) ? bindingNamespace : subject.getNamespace();
            return subject.getKind() + " " + quote(subject.getName() + "/" + namespace);
        }
        return subject.getKind() + " " + quote(subject.getName());
    }

    /** Go's %q for the names RBAC prints, which need no escapes beyond quotes and backslashes. */
    private static String quote(String s) {
        return "\"" + Objects.requireNonNullElse(s, "").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String key(String namespace, String name) {
        return Objects.requireNonNullElse(namespace, "") + "/" + name;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
