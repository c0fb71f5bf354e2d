package io.rotor.deploy.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One service's image: the Maven module whose {@code target/quarkus-app} goes in, the reference it is tagged with,
 * and the tarball it is written to ({@code <module>/target/<module>-image.tar}).
 */
public record ServiceImage(String module, String reference, Path quarkusApp, Path tarball) {

    /** The modules that ship as images; the pod restarter runs the secret writer's image. */
    public static final List<String> MODULES = List.of("orchestrator", "redis-rotator", "openstack-rotator",
            "configui-rotator", "k8s-secret-writer");

    private static final Pattern IMAGE_LINE = Pattern.compile("(?m)^\\s*image:\\s*([^\\s#]+)");

    /**
     * The image of each module, tagged with the reference the base Deployments use, so that what is built is what
     * the overlays pull.
     */
    public static List<ServiceImage> fromDeployments(Path projectRoot) {
        Map<String, String> references = referencesByModule(projectRoot.resolve("deploy/kubernetes/base"));
        return MODULES.stream().map(module -> {
            String reference = references.get(module);
            if (reference == null) {
                throw new IllegalStateException("no Deployment under deploy/kubernetes/base runs an image named "
                        + module);
            }
            Path target = projectRoot.resolve(module).resolve("target");
            return new ServiceImage(module, reference, target.resolve("quarkus-app"),
                    target.resolve(module + "-image.tar"));
        }).toList();
    }

    /** Module name (the reference's last path segment, without the tag) → the one reference the Deployments use. */
    static Map<String, String> referencesByModule(Path base) {
        Map<String, String> references = new TreeMap<>();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("deployment.yaml")).toList()) {
                Matcher m = IMAGE_LINE.matcher(Files.readString(file));
                while (m.find()) {
                    String reference = m.group(1);
                    String repository = reference.substring(0, reference.lastIndexOf(':'));
                    String module = repository.substring(repository.lastIndexOf('/') + 1);
                    String earlier = references.putIfAbsent(module, reference);
                    if (earlier != null && !earlier.equals(reference)) {
                        throw new IllegalStateException("the Deployments run two references of " + module + ": "
                                + earlier + " and " + reference);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return references;
    }
}
