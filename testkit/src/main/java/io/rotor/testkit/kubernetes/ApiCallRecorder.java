package io.rotor.testkit.kubernetes;

/** Sees every request the sandbox's API server receives, before it is handled. */
@FunctionalInterface
public interface ApiCallRecorder {

    ApiCallRecorder NONE = call -> {
    };

    void record(ApiCall call);
}
