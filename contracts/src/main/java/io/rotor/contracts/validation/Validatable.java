package io.rotor.contracts.validation;

/** A type that arrives from outside and can say what is wrong with it. */
public interface Validatable {

    /** Reports every violation into {@code v}; never throws for bad content. */
    void validate(Validator v);
}
