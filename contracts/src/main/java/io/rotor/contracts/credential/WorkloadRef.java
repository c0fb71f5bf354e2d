package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/** A workload in the credential's namespace that reads the credential. */
public record WorkloadRef(WorkloadKind kind, String name) implements Validatable {

    @Override
    public void validate(Validator v) {
        v.required("kind", kind);
        if (v.required("name", name)) {
            v.dns1123Subdomain("name", name);
        }
    }
}
