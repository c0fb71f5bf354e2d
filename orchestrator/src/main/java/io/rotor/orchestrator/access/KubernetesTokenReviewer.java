package io.rotor.orchestrator.access;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Asks the Kubernetes API server who a bearer token belongs to ({@code TokenReview}): ServiceAccount tokens, and user
 * tokens from whatever the cluster authenticates (OIDC, webhook), so the token {@code kubectl} uses works here too.
 * Answers, refusals included, are kept briefly under the token's SHA-256 (the token itself is not kept); an API
 * server that cannot be asked refuses the token rather than letting it in.
 */
final class KubernetesTokenReviewer implements TokenReviewer {

    private static final Logger LOG = Logger.getLogger(KubernetesTokenReviewer.class);

    private record Answer(Caller caller, String refusal) {
    }

    private final KubernetesClient client;
    private final List<String> audiences;
    private final ShortCache<String, Answer> answers;

    KubernetesTokenReviewer(KubernetesClient client, List<String> audiences, ShortCache<String, Answer> answers) {
        this.client = client;
        this.audiences = List.copyOf(audiences);
        this.answers = answers;
    }

    static KubernetesTokenReviewer create(KubernetesClient client, List<String> audiences,
            Duration ttl, Clock clock) {
        return new KubernetesTokenReviewer(client, audiences, new ShortCache<>(ttl, 10_000, clock));
    }

    @Override
    public Optional<Caller> review(String token) throws TokenRefused {
        Answer answer = answers.<TokenRefused>get(sha256(token), () -> ask(token));
        if (answer.caller() == null) {
            throw new TokenRefused(answer.refusal());
        }
        return Optional.of(answer.caller());
    }

    private Answer ask(String token) throws TokenRefused {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(audiences.isEmpty() ? null : audiences).endSpec().build();
        TokenReviewStatus status;
        try {
            status = client.authentication().v1().tokenReviews().create(review).getStatus();
        } catch (KubernetesClientException e) {
            // Not cached: the next request asks again.
            LOG.warnf("TokenReview failed (HTTP %d): the token is refused for now", e.getCode());
            throw new TokenRefused("the Kubernetes API server could not review the token; try again");
        }
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null) {
            // The API server's error may describe the token (expiry, issuer): the caller is told no more than this.
            LOG.debugf("TokenReview refused a token: %s", status == null ? "no status" : status.getError());
            return new Answer(null, "the Kubernetes API server does not accept this token");
        }
        UserInfo user = status.getUser();
        return new Answer(new Caller(user.getUsername(), user.getUid(), user.getGroups(), Caller.Source.KUBERNETES),
                null);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
