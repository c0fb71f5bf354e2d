package io.rotor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Renders an overlay with {@code kubectl kustomize}, as a user applying it would, and reads the objects. */
final class Kustomize {

    static final Path ROOT = Path.of(System.getProperty("deploy.dir", "kubernetes")).toAbsolutePath();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /**
     * On a machine with only a JDK there is no kubectl: rendering tests are skipped there, loudly. CI passes
     * {@code -Drequire.kubectl=true}, which turns a missing kubectl into a failure.
     */
    static List<ObjectNode> render(String overlay) throws IOException, InterruptedException {
        Path dir = ROOT.resolve("overlays").resolve(overlay);
        Process process;
        try {
            process = new ProcessBuilder(kubectl(), "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            String why = "kubectl is needed to render the overlays (kubectl kustomize, kustomize v4 or newer); "
                    + "install it or set -Dkubectl=/path/to/kubectl";
            if (Boolean.getBoolean("require.kubectl")) {
                throw new IllegalStateException(why, e);
            }
            Assumptions.abort(why);
            throw e;
        }
        byte[] out = readAll(process.getInputStream());
        byte[] err = readAll(process.getErrorStream());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return documents(new String(out, StandardCharsets.UTF_8));
    }

    static List<ObjectNode> read(Path file) throws IOException {
        return documents(Files.readString(file));
    }

    static List<ObjectNode> documents(String yaml) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode node : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (node instanceof ObjectNode object && !object.isEmpty()) {
                    docs.add(object);
                }
            }
        }
        return docs;
    }

    private static String kubectl() {
        return System.getProperty("kubectl", "kubectl");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
