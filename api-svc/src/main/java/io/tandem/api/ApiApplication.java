package io.tandem.api;

import io.tandem.runtime.TandemApplication;

/** Entry point of api-svc: the Block Storage v3 compatible REST facade over the gRPC services. */
public final class ApiApplication {
    private ApiApplication() {}

    public static void main(String[] args) {
        TandemApplication.run("tandem-api", ApiApplication.class, args);
    }
}
