package io.rotor.secret;

/** A clouds.yaml with three clouds, in several styles. */
public final class CloudsYamlFixture {

    public static final String THREE_CLOUDS = """
            # Managed by the platform team.
            clouds:
              dev:
                auth:
                  auth_url: https://keystone.dev.example:5000/v3
                  username: svc-dev
                  password: dev-secret   # rotated by hand
                  project_name: dev
                region_name: RegionOne
              prod:
                region_name: RegionTwo
                auth:
                  auth_url: "https://keystone.example:5000/v3"
                  username: 'svc-app'
                  password: 'old-prod-secret'
                  project_name: app
                  user_domain_name: Default
                  project_domain_name: Default
                interface: public
              staging:
                auth: {auth_url: 'https://keystone.staging.example:5000/v3', username: svc-stg, password: stg-secret}
            """;

    private CloudsYamlFixture() {
    }
}
