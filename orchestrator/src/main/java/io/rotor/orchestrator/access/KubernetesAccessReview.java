package io.rotor.orchestrator.access;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Kubernetes RBAC decides ({@code SubjectAccessReview} on {@code managedcredentials.rotor.io} in the credential's
 * namespace), so who may view, rotate or confirm is granted the way everything else on the cluster is: with a
 * RoleBinding. Decisions are kept briefly; an API server that cannot be asked means no (not kept).
 */
final class KubernetesAccessReview implements AccessReview {

    private static final Logger LOG = Logger.getLogger(KubernetesAccessReview.class);
    static final String GROUP = "rotor.io";
    static final String RESOURCE = "managedcredentials";

    record Question(String user, String uid, List<String> groups, String verb, String namespace, String name) {
    }

    private final KubernetesClient client;
    private final ShortCache<Question, Boolean> decisions;

    KubernetesAccessReview(KubernetesClient client, ShortCache<Question, Boolean> decisions) {
        this.client = client;
        this.decisions = decisions;
    }

    @Override
    public boolean allows(Caller caller, Verb verb, String namespace, String name) {
        Question q = new Question(caller.name(), caller.uid(), caller.groups(), verb.rbacVerb(), namespace, name);
        try {
            return decisions.<RuntimeException>get(q, () -> ask(q));
        } catch (KubernetesClientException e) {
            LOG.warnf("SubjectAccessReview for %s to %s %s/%s failed (HTTP %d): refused for now", caller.name(),
                    verb.rbacVerb(), namespace, name == null ? "*" : name, e.getCode());
            return false;
        }
    }

    private boolean ask(Question q) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(q.user())
                .withUid(q.uid()).withGroups(q.groups()).withNewResourceAttributes().withGroup(GROUP)
                .withResource(RESOURCE).withVerb(q.verb()).withNamespace(q.namespace()).withName(q.name())
                .endResourceAttributes().endSpec().build();
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
}
