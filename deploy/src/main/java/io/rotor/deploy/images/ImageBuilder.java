package io.rotor.deploy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a service image with Jib's library, from scratch: no Docker engine, no registry. Three layers, the first
 * shared by every service: the runtime root filesystem (made by {@code deploy/images/build-runtime.sh}: a jlink'd Java
 * and the Debian libraries it needs), the Quarkus fast-jar's dependencies ({@code lib/}), and the application itself
 * ({@code app/}, {@code quarkus/}, {@code quarkus-run.jar}). The result is a {@code docker load}able tarball.
 */
public final class ImageBuilder {

    /** The Deployments run as this user (runAsUser / runAsGroup 185). */
    public static final String USER = "185:185";
    public static final String APP_DIR = "/deployments";
    public static final List<String> ENTRYPOINT = List.of("/opt/java/bin/java",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", APP_DIR + "/quarkus-run.jar");
    /** JDK_JAVA_OPTIONS is read by the java launcher itself, so it needs no shell: override it to tune the JVM. */
    public static final Map<String, String> ENVIRONMENT = Map.of(
            "JAVA_HOME", "/opt/java",
            "PATH", "/opt/java/bin:/usr/bin:/bin",
            "LANG", "C.UTF-8",
            "JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75.0 -Djava.io.tmpdir=/tmp");

    private final Path runtimeRoot;
    private final Path cache;

    /**
     * @param runtimeRoot the runtime root filesystem (the {@code rootfs} directory build-runtime.sh writes)
     * @param cache Jib's layer cache directory
     */
    public ImageBuilder(Path runtimeRoot, Path cache) {
        if (!Files.isExecutable(runtimeRoot.resolve("opt/java/bin/java"))) {
            throw new IllegalArgumentException(runtimeRoot + " has no opt/java/bin/java: run deploy/images/"
                    + "build-runtime.sh first");
        }
        this.runtimeRoot = runtimeRoot;
        this.cache = cache;
    }

    public JibContainer build(ServiceImage image) throws Exception {
        Path app = image.quarkusApp();
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app.resolve("quarkus-run.jar") + " is missing: package " + image.module()
                    + " first (./mvnw package -DskipTests)");
        }
        FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
        addTree(application, app.resolve("app"), AbsoluteUnixPath.get(APP_DIR + "/app"));
        addTree(application, app.resolve("quarkus"), AbsoluteUnixPath.get(APP_DIR + "/quarkus"));
        for (Path file : list(app)) {
            if (Files.isRegularFile(file)) {
                add(application, file, AbsoluteUnixPath.get(APP_DIR).resolve(file.getFileName().toString()));
            }
        }
        FileEntriesLayer.Builder dependencies = FileEntriesLayer.builder().setName("dependencies");
        addTree(dependencies, app.resolve("lib"), AbsoluteUnixPath.get(APP_DIR + "/lib"));
        FileEntriesLayer.Builder runtime = FileEntriesLayer.builder().setName("runtime");
        addTree(runtime, runtimeRoot, AbsoluteUnixPath.get("/"));

        Files.createDirectories(image.tarball().getParent());
        String version = image.reference().substring(image.reference().lastIndexOf(':') + 1);
        return Jib.fromScratch()
                .setFormat(ImageFormat.Docker)
                .setFileEntriesLayers(runtime.build(), dependencies.build(), application.build())
                .setEntrypoint(ENTRYPOINT)
                .setEnvironment(ENVIRONMENT)
                .setUser(USER)
                .setWorkingDirectory(AbsoluteUnixPath.get(APP_DIR))
                .addExposedPort(Port.tcp(8080))
                .addLabel("org.opencontainers.image.title", "rotor " + image.module())
                .addLabel("org.opencontainers.image.version", version)
                .addLabel("io.rotor.image.runtime", runtimePackages())
                .containerize(Containerizer.to(TarImage.at(image.tarball()).named(image.reference()))
                        .setOfflineMode(true)
                        .setBaseImageLayersCache(cache.resolve("base"))
                        .setApplicationLayersCache(cache.resolve("application"))
                        .setToolName("rotor-image-builder")
                        .addEventHandler(LogEvent.class, ImageBuilder::log));
    }

    /** What the runtime is made of ("libc6 2.36-9+deb12u14, ..., java 17.0.15 (...)"), as build-runtime.sh wrote it. */
    private String runtimePackages() throws IOException {
        Path list = runtimeRoot.resolve("usr/share/rotor/runtime-packages.txt");
        return Files.exists(list) ? String.join(", ", Files.readAllLines(list)) : "unknown";
    }

    /**
     * Adds a directory tree, keeping each file's mode. Symbolic links are stored as copies of what they point to
     * (resolved inside the tree, so an absolute link means the image's path, not the build host's).
     */
    private static void addTree(FileEntriesLayer.Builder layer, Path root, AbsoluteUnixPath target) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.comparing(Path::toString)).toList()) {
                Path source = Files.isSymbolicLink(path) ? resolveInside(root, path) : path;
                if (path.equals(root) && target.toString().equals("/")) {
                    continue;
                }
                AbsoluteUnixPath into = target;
                for (Path part : root.relativize(path)) {
                    if (!part.toString().isEmpty()) {
                        into = into.resolve(part.toString());
                    }
                }
                add(layer, source, into);
            }
        }
    }

    private static void add(FileEntriesLayer.Builder layer, Path source, AbsoluteUnixPath into) throws IOException {
        FilePermissions mode = FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
        layer.addEntry(source, into, mode, FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
    }

    private static Path resolveInside(Path root, Path link) throws IOException {
        Path current = link;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops > 16) {
                throw new IOException("symbolic link loop at " + link);
            }
            Path target = Files.readSymbolicLink(current);
            current = target.isAbsolute()
                    ? root.resolve(target.toString().substring(1))
                    : current.getParent().resolve(target);
        }
        current = current.normalize();
        if (!current.startsWith(root.normalize()) || !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(link + " points outside the image or nowhere: " + Files.readSymbolicLink(link));
        }
        return current;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void log(LogEvent event) {
        if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN
                || event.getLevel() == LogEvent.Level.LIFECYCLE) {
            System.out.println("[jib] " + event.getMessage());
        }
    }

    /**
     * {@code ImageBuilder <runtime rootfs> <project root> [module,...]}: builds the named modules' images (all by
     * default), tagged as the base Deployments reference them, into {@code <module>/target/<module>-image.tar}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ImageBuilder <runtime rootfs> <project root> [module...]");
        }
        Path runtime = Path.of(args[0]).toAbsolutePath();
        Path projectRoot = Path.of(args[1]).toAbsolutePath().normalize();
        List<String> only = java.util.Arrays.stream(args).skip(2).filter(java.util.Objects::nonNull)
                .flatMap(a -> java.util.Arrays.stream(a.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        ImageBuilder builder = new ImageBuilder(runtime, runtime.getParent().resolve("jib-cache"));
        for (ServiceImage image : ServiceImage.fromDeployments(projectRoot)) {
            if (!only.isEmpty() && !only.contains(image.module())) {
                continue;
            }
            long started = System.nanoTime();
            JibContainer container = builder.build(image);
            System.out.printf("%s: %s (%d MB, %s) in %d ms%n", image.reference(), image.tarball(),
                    Files.size(image.tarball()) >> 20, container.getImageId(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
