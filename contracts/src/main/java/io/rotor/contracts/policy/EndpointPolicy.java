package io.rotor.contracts.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rotor.contracts.credential.ConfigUiOptions;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.VaultTarget;
import io.rotor.contracts.validation.Violation;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cluster's word on where credentials may be sent: for each namespace (or {@code "*"}, every namespace) and each
 * target — a platform ({@code redis-enterprise}, {@code redis-acl}, {@code openstack-keystone}, {@code configui}) or
 * {@code vault} — the hosts its ManagedCredentials may name, and whether plain {@code http://} is allowed there
 * (never by default). Nothing is allowed that the policy does not list.
 *
 * <p>A ManagedCredential's author decides its endpoint and its Secrets; without this policy, they could have Rotor
 * send a Secret's value — read as "the current password" — or an admin password to a host of their choosing. The
 * policy is written by whoever runs Rotor, as a file (a ConfigMap) that the orchestrator and every service that
 * contacts an endpoint reads.
 *
 * <pre>
 * namespaces:
 *   "*":
 *     redis-acl: {hosts: ["*.redis.svc.cluster.local"]}
 *   team-a:
 *     redis-enterprise: {hosts: ["rec.team-a.svc", "rec.team-a.svc:9443"]}
 *     vault: {hosts: ["vault.vault.svc"]}
 *     configui: {hosts: ["portal.team-a.svc"], allowHttp: true}
 * </pre>
 *
 * A host pattern is a host name (case-insensitive), {@code *.suffix} (any name ending in {@code .suffix}) or
 * {@code *} (any host), optionally with {@code :port} to allow only that port.
 */
public final class EndpointPolicy {

    public static final String VAULT = "vault";
    public static final String ANY_NAMESPACE = "*";
    private static final Pattern PATTERN = Pattern.compile("(\\*|(\\*\\.)?[A-Za-z0-9.-]+|\\[[0-9a-fA-F:]+\\])(:[0-9]{1,5})?");

    private final Map<String, Map<String, Rule>> namespaces;
    private final String source;

    private EndpointPolicy(Map<String, Map<String, Rule>> namespaces, String source) {
        this.namespaces = namespaces;
        this.source = source;
    }

    /** The policy of a cluster that has none: no endpoint is allowed. */
    public static EndpointPolicy none() {
        return new EndpointPolicy(Map.of(), "no endpoint policy is configured");
    }

    /** @throws IllegalArgumentException naming what is wrong, for an operator to fix */
    public static EndpointPolicy parse(byte[] yaml, String source) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Document doc;
        try {
            doc = mapper.readValue(yaml, Document.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the endpoint policy " + source + " does not read: "
                    + e.getMessage());
        }
        if (doc == null || doc.namespaces() == null) {
            throw new IllegalArgumentException("the endpoint policy " + source + " has no 'namespaces'");
        }
        doc.namespaces().forEach((ns, targets) -> {
            if (targets == null) {
                throw new IllegalArgumentException("endpoint policy " + source + ": namespace " + ns + " lists nothing");
            }
            targets.forEach((target, rule) -> {
                if (rule == null || rule.hosts() == null || rule.hosts().isEmpty()) {
                    throw new IllegalArgumentException("endpoint policy " + source + ": " + ns + "/" + target
                            + " needs hosts");
                }
                for (String host : rule.hosts()) {
                    if (host == null || !PATTERN.matcher(host).matches()) {
                        throw new IllegalArgumentException("endpoint policy " + source + ": " + ns + "/" + target
                                + ": '" + host + "' is not a host pattern (host, *.suffix or *, optionally :port)");
                    }
                }
            });
        });
        return new EndpointPolicy(Map.copyOf(doc.namespaces()), "the endpoint policy " + source);
    }

    /** Every endpoint a spec names, checked; violations carry spec paths, like validation's. */
    public List<Violation> check(String namespace, ManagedCredentialSpec spec) {
        List<Violation> problems = new ArrayList<>();
        String target = spec.platform() == null ? null : spec.platform().value();
        Endpoint endpoint = spec.endpoint();
        if (target != null && endpoint != null) {
            if (endpoint.url() != null) {
                checkUrl(namespace, target, endpoint.url()).ifPresent(p -> problems.add(new Violation("spec.endpoint.url", p)));
            }
            for (int i = 0; i < endpoint.hostList().size(); i++) {
                String hostPort = endpoint.hostList().get(i);
                int colon = hostPort.lastIndexOf(':');
                checkHost(namespace, target, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                        false).ifPresent(p -> problems.add(new Violation("spec.endpoint.hosts", p)));
            }
        }
        ConfigUiOptions configUi = spec.configUi();
        if (target != null && configUi != null && configUi.portalUrl() != null) {
            checkUrl(namespace, target, configUi.portalUrl())
                    .ifPresent(p -> problems.add(new Violation("spec.configUi.portalUrl", p)));
        }
        VaultTarget vault = spec.vault();
        if (vault != null && vault.address() != null) {
            checkUrl(namespace, VAULT, vault.address()).ifPresent(p -> problems.add(new Violation("spec.vault.address", p)));
        }
        return problems;
    }

    /** Why {@code url} may not be used for {@code target} in {@code namespace}, or empty when it may. */
    public Optional<String> checkUrl(String namespace, String target, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an absolute http or https URL");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return checkHost(namespace, target, uri.getHost(), port, scheme.equals("http"));
    }

    private Optional<String> checkHost(String namespace, String target, String host, int port, boolean plainHttp) {
        boolean hostAllowed = false;
        boolean httpAllowed = false;
        for (Rule rule : rules(namespace, target)) {
            if (rule.hosts().stream().anyMatch(p -> matches(p, host, port))) {
                hostAllowed = true;
                httpAllowed |= rule.allowHttpOrDefault();
            }
        }
        if (!hostAllowed) {
            return Optional.of("host " + host + ":" + port + " is not allowed for " + target + " in namespace "
                    + namespace + " by " + source + " (ask the cluster's Rotor operators to add it)");
        }
        if (plainHttp && !httpAllowed) {
            return Optional.of("plain http to " + host + " is not allowed for " + target + " in namespace " + namespace
                    + " by " + source + "; use https");
        }
        return Optional.empty();
    }

    private List<Rule> rules(String namespace, String target) {
        List<Rule> rules = new ArrayList<>();
        for (String ns : List.of(ANY_NAMESPACE, namespace)) {
            Map<String, Rule> targets = namespaces.get(ns);
            if (targets != null && targets.get(target) != null) {
                rules.add(targets.get(target));
            }
        }
        return rules;
    }

    static boolean matches(String pattern, String host, int port) {
        String hostPattern = pattern;
        if (!pattern.endsWith("]") && pattern.lastIndexOf(':') > pattern.lastIndexOf(']')) {
            int colon = pattern.lastIndexOf(':');
            if (Integer.parseInt(pattern.substring(colon + 1)) != port) {
                return false;
            }
            hostPattern = pattern.substring(0, colon);
        }
        String h = host.toLowerCase(Locale.ROOT);
        String p = hostPattern.toLowerCase(Locale.ROOT);
        if (p.equals("*")) {
            return true;
        }
        if (p.startsWith("*.")) {
            return h.endsWith(p.substring(1)) && h.length() > p.length() - 1;
        }
        return h.equals(p);
    }

    @Override
    public String toString() {
        return source;
    }

    record Document(Map<String, Map<String, Rule>> namespaces) {
    }

    record Rule(List<String> hosts, @JsonProperty("allowHttp") Boolean allowHttp) {

        boolean allowHttpOrDefault() {
            return Boolean.TRUE.equals(allowHttp);
        }
    }
}
