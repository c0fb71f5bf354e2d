package io.rotor.system;

import java.util.ArrayList;
import java.util.List;

/** Kubernetes resources for the system tests' scenarios, as YAML documents. */
final class Scenario {

    private final List<String> documents = new ArrayList<>();

    Scenario add(String yaml) {
        documents.add(yaml.strip());
        return this;
    }

    String yaml() {
        return String.join("\n---\n", documents) + "\n";
    }

    static String secret(String ns, String name, String stringData) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                stringData:
                %s
                """.formatted(name, ns, indent(stringData, "  "));
    }

    /** A Secret that opts in to being written for {@code credential} (the label Rotor requires on existing Secrets). */
    static String secret(String ns, String name, String stringData, String credential) {
        return """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: %s
                  namespace: %s
                  labels: {rotor.io/credential: %s}
                stringData:
                %s
                """.formatted(name, ns, credential, indent(stringData, "  "));
    }

    static String deployment(String ns, String name, String secret, String annotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %2$s
                  namespace: %1$s
                  annotations: {%4$s}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: %2$s}}
                  template:
                    metadata: {labels: {app: %2$s}}
                    spec:
                      containers:
                        - name: app
                          image: %2$s:1
                          envFrom: [{secretRef: {name: %3$s}}]
                """.formatted(ns, name, secret, annotations);
    }

    static String indent(String text, String prefix) {
        return text.lines().map(l -> prefix + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
