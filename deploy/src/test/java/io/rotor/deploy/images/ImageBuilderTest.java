package io.rotor.deploy.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds an image from a stand-in runtime and a stand-in quarkus-app (no jlink, no apt) and reads the tarball back as
 * {@code docker load} would: manifest, config, layers in order. The real runtime is checked by
 * deploy/images/build-runtime.sh (java -version in a chroot) and the real images by deploy/images/smoke-test.sh.
 */
class ImageBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theTarballCarriesTheDeploymentsReferenceUserEntrypointAndThreeLayers() throws Exception {
        Path tarball = build();
        Map<String, byte[]> archive = untar(Files.newInputStream(tarball), false);
        JsonNode manifest = JSON.readTree(archive.get("manifest.json")).get(0);
        assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo("ghcr.io/rotor-io/orchestrator:0.1.0");
        JsonNode config = JSON.readTree(archive.get(manifest.path("Config").asText())).path("config");
        assertThat(config.path("User").asText()).isEqualTo("185:185");
        assertThat(JSON.convertValue(config.path("Entrypoint"), List.class))
                .containsExactlyElementsOf(ImageBuilder.ENTRYPOINT);
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
        assertThat(config.path("Env").toString()).contains("JAVA_HOME=/opt/java", "JDK_JAVA_OPTIONS=");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(manifest.path("Layers")).hasSize(3);

        List<Map<String, byte[]>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            layers.add(untar(new GZIPInputStream(new java.io.ByteArrayInputStream(archive.get(layer.asText()))), true));
        }
        assertThat(layers.get(0)).containsKeys("opt/java/bin/java", "lib/x86_64-linux-gnu/libc.so.6", "etc/passwd");
        assertThat(layers.get(1)).containsKey("deployments/lib/main/dep.jar");
        assertThat(layers.get(2)).containsKeys("deployments/quarkus-run.jar", "deployments/app/orchestrator.jar",
                "deployments/quarkus/generated-bytecode.jar");
    }

    @Test
    void modesAreKeptAndSymbolicLinksBecomeCopiesOfWhatTheyPointToInsideTheImage() throws Exception {
        Path tarball = build();
        Map<String, byte[]> archive = untar(Files.newInputStream(tarball), false);
        JsonNode manifest = JSON.readTree(archive.get("manifest.json")).get(0);
        Map<String, byte[]> runtime = untar(new GZIPInputStream(new java.io.ByteArrayInputStream(
                archive.get(manifest.path("Layers").get(0).asText()))), true);

        assertThat(new String(runtime.get("lib64/ld-linux-x86-64.so.2"), StandardCharsets.UTF_8)).isEqualTo("loader");
        assertThat(new String(runtime.get("lib/x86_64-linux-gnu/libz.so.1"), StandardCharsets.UTF_8)).isEqualTo("zlib");
        assertThat(modes).containsEntry("opt/java/bin/java", 0755).containsEntry("etc/passwd", 0644);
    }

    @Test
    void aMissingQuarkusAppSaysWhichModuleToPackage() throws Exception {
        ImageBuilder builder = new ImageBuilder(runtime(), dir.resolve("cache"));
        ServiceImage image = new ServiceImage("orchestrator", "ghcr.io/rotor-io/orchestrator:0.1.0",
                dir.resolve("nowhere/quarkus-app"), dir.resolve("out.tar"));
        assertThatThrownBy(() -> builder.build(image)).hasMessageContaining("package orchestrator first");
    }

    @Test
    void everyServiceModuleIsTaggedAsTheBaseDeploymentsReferenceIt() {
        Path projectRoot = Path.of("").toAbsolutePath().getParent();
        List<ServiceImage> images = ServiceImage.fromDeployments(projectRoot);
        assertThat(images).extracting(ServiceImage::module).containsExactlyElementsOf(ServiceImage.MODULES);
        assertThat(images).allSatisfy(image -> {
            assertThat(image.reference()).isEqualTo("ghcr.io/rotor-io/" + image.module() + ":0.1.0");
            assertThat(image.tarball()).isEqualTo(projectRoot.resolve(image.module())
                    .resolve("target/" + image.module() + "-image.tar"));
        });
    }

    private final Map<String, Integer> modes = new HashMap<>();

    private Path build() throws Exception {
        Path app = dir.resolve("orchestrator/target/quarkus-app");
        write(app.resolve("quarkus-run.jar"), "run");
        write(app.resolve("app/orchestrator.jar"), "app");
        write(app.resolve("quarkus/generated-bytecode.jar"), "generated");
        write(app.resolve("lib/main/dep.jar"), "dep");
        ServiceImage image = new ServiceImage("orchestrator", "ghcr.io/rotor-io/orchestrator:0.1.0", app,
                dir.resolve("orchestrator/target/orchestrator-image.tar"));
        new ImageBuilder(runtime(), dir.resolve("cache")).build(image);
        return image.tarball();
    }

    private Path runtime() throws IOException {
        Path root = dir.resolve("runtime/rootfs");
        if (Files.exists(root)) {
            return root;
        }
        write(root.resolve("opt/java/bin/java"), "#!java");
        Files.setPosixFilePermissions(root.resolve("opt/java/bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(root.resolve("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), "loader");
        write(root.resolve("lib/x86_64-linux-gnu/libc.so.6"), "libc");
        write(root.resolve("lib/x86_64-linux-gnu/libz.so.1.2.13"), "zlib");
        write(root.resolve("etc/passwd"), "rotor:x:185:185::/deployments:/sbin/nologin\n");
        // As in Debian's packages: an absolute link (the image's path) and a relative one.
        Files.createDirectories(root.resolve("lib64"));
        Files.createSymbolicLink(root.resolve("lib64/ld-linux-x86-64.so.2"),
                Path.of("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        Files.createSymbolicLink(root.resolve("lib/x86_64-linux-gnu/libz.so.1"), Path.of("libz.so.1.2.13"));
        return root;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** A minimal ustar/pax reader: regular files by name (without a leading "./" or "/"); records their modes. */
    private Map<String, byte[]> untar(InputStream raw, boolean recordModes) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = new BufferedInputStream(raw)) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'x') {
                    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
                        if (record.contains(" path=")) {
                            longName = record.substring(record.indexOf(" path=") + 6);
                        }
                    }
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                name = name.replaceFirst("^\\./", "").replaceFirst("^/", "");
                if (type == '0' || type == 0) {
                    files.put(name, data);
                    if (recordModes) {
                        modes.put(name, mode & 07777);
                    }
                }
            }
        }
        return files;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
