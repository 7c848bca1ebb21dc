package io.tandem.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** A route with a bug, for the test that a bug never shows its internals to the client. Test environment only. */
@Controller("/v3/test-only")
@Requires(env = ApiServer.ENVIRONMENT)
class FailingController {
    static final String SECRET = "password=hunter2 at FailingController.java:17";

    @Get("/bug")
    String bug() {
        throw new IllegalStateException(SECRET);
    }
}
