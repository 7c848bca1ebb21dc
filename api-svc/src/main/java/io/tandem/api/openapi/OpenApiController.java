package io.tandem.api.openapi;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.tandem.api.http.PublicPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves docs/openapi.yaml (packaged into the jar at build time) at {@link PublicPaths#OPENAPI}, so generated clients
 * and API browsers can read the contract from the running service, without a token.
 */
@Controller
public class OpenApiController {
    private static final String RESOURCE = "/openapi/openapi.yaml";
    private static final MediaType YAML = MediaType.of("application/yaml");

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar; build api-svc with Maven");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Get(PublicPaths.OPENAPI)
    HttpResponse<byte[]> openApi() {
        return HttpResponse.ok(document).contentType(YAML);
    }
}
