package io.rotor.orchestrator.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header, served at {@code /q/openapi}. */
@OpenAPIDefinition(info = @Info(title = "Rotor orchestrator", version = "v1",
        description = "Request credential rotations and dry runs; follow rotations, credentials and live events."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Kubernetes bearer token (ServiceAccount or user), reviewed by the API server; RBAC on "
                + "managedcredentials.rotor.io decides: get, rotate, confirm")
public class OpenApiDefinition extends Application {
}
