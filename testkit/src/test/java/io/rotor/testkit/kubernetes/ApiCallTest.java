package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.testkit.kubernetes.ApiCall.Permission;
import org.junit.jupiter.api.Test;

class ApiCallTest {

    @Test
    void callsMapToTheRbacVerbAndResourceTheyNeed() {
        assertThat(perm("GET", "/api/v1/namespaces/shop/secrets/app")).isEqualTo(new Permission("", "secrets", "get"));
        assertThat(perm("PUT", "/api/v1/namespaces/shop/secrets/app")).isEqualTo(new Permission("", "secrets", "update"));
        assertThat(perm("GET", "/apis/apps/v1/namespaces/shop/deployments?labelSelector=a%3Db"))
                .isEqualTo(new Permission("apps", "deployments", "list"));
        assertThat(perm("GET", "/apis/apps/v1/namespaces/shop/deployments?watch=true&resourceVersion=1"))
                .isEqualTo(new Permission("apps", "deployments", "watch"));
        assertThat(perm("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web"))
                .isEqualTo(new Permission("apps", "deployments", "patch"));
        assertThat(perm("PUT", "/apis/apps/v1/namespaces/shop/statefulsets/db/scale"))
                .isEqualTo(new Permission("apps", "statefulsets/scale", "update"));
        assertThat(perm("PUT", "/apis/rotor.io/v1alpha1/namespaces/shop/managedcredentials/c/status"))
                .isEqualTo(new Permission("rotor.io", "managedcredentials/status", "update"));
        assertThat(perm("GET", "/apis/rotor.io/v1alpha1/managedcredentials?watch=true"))
                .isEqualTo(new Permission("rotor.io", "managedcredentials", "watch"));
        assertThat(perm("DELETE", "/api/v1/namespaces/shop/pods/web-1")).isEqualTo(new Permission("", "pods", "delete"));
        assertThat(perm("POST", "/api/v1/namespaces/shop/events")).isEqualTo(new Permission("", "events", "create"));
        assertThat(new ApiCall(null, "GET", "/version").permission()).isEmpty();
    }

    @Test
    void reviewsNeedCreateOnTheirClusterScopedResource() {
        assertThat(perm("POST", "/apis/authentication.k8s.io/v1/tokenreviews"))
                .isEqualTo(new Permission("authentication.k8s.io", "tokenreviews", "create"));
        assertThat(perm("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews"))
                .isEqualTo(new Permission("authorization.k8s.io", "subjectaccessreviews", "create"));
        assertThat(perm("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews?fieldManager=orchestrator"))
                .isEqualTo(new Permission("authorization.k8s.io", "subjectaccessreviews", "create"));
    }

    private static Permission perm(String method, String path) {
        return new ApiCall("svc", method, path).permission().orElseThrow();
    }
}
