package io.tandem.api.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.micronaut.http.HttpStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcStatusHttpTest {
    @Test
    void theTableOfDocsRestApi() {
        assertEquals(HttpStatus.BAD_REQUEST, GrpcStatusHttp.httpStatus(Status.Code.INVALID_ARGUMENT));
        assertEquals(HttpStatus.BAD_REQUEST, GrpcStatusHttp.httpStatus(Status.Code.FAILED_PRECONDITION));
        assertEquals(HttpStatus.NOT_FOUND, GrpcStatusHttp.httpStatus(Status.Code.NOT_FOUND));
        assertEquals(HttpStatus.CONFLICT, GrpcStatusHttp.httpStatus(Status.Code.ALREADY_EXISTS));
        assertEquals(HttpStatus.CONFLICT, GrpcStatusHttp.httpStatus(Status.Code.ABORTED));
        assertEquals(HttpStatus.FORBIDDEN, GrpcStatusHttp.httpStatus(Status.Code.PERMISSION_DENIED));
        assertEquals(HttpStatus.UNAUTHORIZED, GrpcStatusHttp.httpStatus(Status.Code.UNAUTHENTICATED));
        assertEquals(HttpStatus.NOT_IMPLEMENTED, GrpcStatusHttp.httpStatus(Status.Code.UNIMPLEMENTED));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, GrpcStatusHttp.httpStatus(Status.Code.UNAVAILABLE));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, GrpcStatusHttp.httpStatus(Status.Code.DEADLINE_EXCEEDED));
        assertEquals(HttpStatus.INTERNAL_SERVER_ERROR, GrpcStatusHttp.httpStatus(Status.Code.INTERNAL));
        assertEquals(HttpStatus.INTERNAL_SERVER_ERROR, GrpcStatusHttp.httpStatus(Status.Code.UNKNOWN));
        assertEquals(HttpStatus.INTERNAL_SERVER_ERROR, GrpcStatusHttp.httpStatus(Status.Code.DATA_LOSS));
    }

    @Test
    void theDescriptionIsTheMessage() {
        ApiException e = GrpcStatusHttp.toApiException(Status.NOT_FOUND
                .withDescription("Cluster c@b could not be found.")
                .asRuntimeException());
        assertEquals(HttpStatus.NOT_FOUND, e.status());
        assertEquals("Cluster c@b could not be found.", e.getMessage());
        assertEquals(
                "The backend answered ABORTED without a message.",
                GrpcStatusHttp.toApiException(Status.ABORTED.asRuntimeException())
                        .getMessage());
    }

    @Test
    void aRouteMayOverrideOneCode() {
        ApiException e = GrpcStatusHttp.toApiException(
                Status.NOT_FOUND.withDescription("no such host").asRuntimeException(),
                Map.of(Status.Code.NOT_FOUND, HttpStatus.BAD_REQUEST));
        assertEquals(HttpStatus.BAD_REQUEST, e.status());
        assertEquals("no such host", e.getMessage());
    }

    @Test
    void faultBodiesUseCindersNamesAndHideInternalMessages() {
        assertEquals(
                Map.of("itemNotFound", Map.of("code", 404, "message", "gone")),
                Faults.body(HttpStatus.NOT_FOUND, "gone"));
        assertEquals(
                Map.of("computeFault", Map.of("code", 500, "message", Faults.INTERNAL_MESSAGE)),
                Faults.body(HttpStatus.INTERNAL_SERVER_ERROR, "NullPointerException at Foo.java:12"));
        assertEquals(
                Map.of("serviceUnavailable", Map.of("code", 503, "message", "replication-svc is down")),
                Faults.body(HttpStatus.SERVICE_UNAVAILABLE, "replication-svc is down"));
        assertEquals("badRequest", Faults.name(HttpStatus.BAD_REQUEST));
        assertEquals("conflictingRequest", Faults.name(HttpStatus.CONFLICT));
        assertEquals("forbidden", Faults.name(HttpStatus.FORBIDDEN));
        assertEquals("unauthorized", Faults.name(HttpStatus.UNAUTHORIZED));
    }
}
