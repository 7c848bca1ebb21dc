package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Version discovery over real HTTP, the first thing every Block Storage client does: {@code GET /} answers 300 and
 * {@code GET /v3/} 200 with the versions document of docs/rest-api.md, without a token in either auth mode; and Debian's
 * {@code cinder} client discovers the server through it. (The request-id and microversion headers on every response,
 * discovery included, are checked in RestFailoverTest with the routes.)
 */
class RestVersionsTest {
    private static final Pattern MICROVERSION = Pattern.compile("3\\.(0|[1-9][0-9]*)");

    private static RestStack system;

    @BeforeAll
    static void startTheSystem() {
        system = RestStack.start(RestVersionsTest.class, true);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void rootAnswers300WithTheVersionsDocument() {
        Rest.Response root = system.anonymous().get("/");
        assertEquals(300, root.status(), root.toString());
        assertVersionsDocument(root, system.api().port());
    }

    @Test
    void v3AnswersTheSameDocumentWith200() {
        Rest.Response root = system.anonymous().get("/");
        for (String path : List.of("/v3/", "/v3")) {
            Rest.Response v3 = system.anonymous().get(path);
            assertEquals(200, v3.status(), v3.toString());
            assertVersionsDocument(v3, system.api().port());
            assertEquals(root.json(), v3.json(), path + " and / differ");
        }
    }

    @Test
    void versionDiscoveryNeedsNoTokenInTokenModeEither() {
        Rest anonymous = system.tokenRest(null);
        Rest.Response root = anonymous.get("/");
        assertEquals(300, root.status(), root.toString());
        assertVersionsDocument(root, system.tokenApi().port());
        Rest.Response v3 = anonymous.get("/v3/");
        assertEquals(200, v3.status(), v3.toString());
        assertVersionsDocument(v3, system.tokenApi().port());
    }

    @Test
    void versionDiscoveryIgnoresTheMicroversionHeaderAndTheToken() {
        // Clients send both with every request, discovery included (cinderclient sends its token and, once it knows
        // the server's maximum, the microversion); neither may change the answer.
        Rest.Response plain = system.anonymous().get("/");
        Rest.Response withBoth = system.rest("P").get("/", "3.0");
        assertEquals(300, withBoth.status(), withBoth.toString());
        assertEquals(plain.json(), withBoth.json());
        Rest.Response v3 = system.rest("P").get("/v3/", "3.0");
        assertEquals(200, v3.status(), v3.toString());
        assertEquals(plain.json(), v3.json());
    }

    @Test
    void theCinderClientIsInstalled() {
        Cinder.Result version = system.cinder("P").runBare("--version").assertOk();
        // argparse prints the version to stdout (Python 3.4+); older ones used stderr.
        String printed = (version.stdout() + version.stderr()).strip();
        assertTrue(printed.matches("\\d+\\.\\d+\\.\\d+.*"), version.toString());
    }

    @Test
    void theCinderClientDiscoversTheServerVersions() {
        String max =
                system.anonymous().get("/").json().at("/versions/0/version").asText();
        Cinder.Result result = system.cinder("P").run("api-version").assertOk();
        assertEquals(List.of("v3.0"), result.column("ID"), result.toString());
        assertEquals(List.of("CURRENT"), result.column("Status"), result.toString());
        assertEquals(List.of(max), result.column("Version"), result.toString());
        assertEquals(List.of("3.0"), result.column("Min_version"), result.toString());
        assertFalse(result.stderr().contains("Traceback"), result.toString());
    }

    /** The versions document of docs/rest-api.md, with links to this server. */
    static void assertVersionsDocument(Rest.Response response, int port) {
        String json = response.toString();
        assertTrue(
                response.header("Content-Type").orElse("").startsWith("application/json"), "Content-Type: " + response);
        JsonNode versions = response.json().get("versions");
        assertTrue(versions != null && versions.isArray() && versions.size() == 1, json);
        JsonNode v3 = versions.get(0);
        assertEquals(
                Set.of("id", "links", "media-types", "min_version", "status", "updated", "version"),
                fieldNames(v3),
                json);
        assertEquals("v3.0", v3.get("id").asText(), json);
        assertEquals(1, v3.get("links").size(), json);
        assertEquals("http://127.0.0.1:" + port + "/v3/", v3.at("/links/0/href").asText(), json);
        assertEquals("self", v3.at("/links/0/rel").asText(), json);
        assertEquals(1, v3.get("media-types").size(), json);
        assertEquals("application/json", v3.at("/media-types/0/base").asText(), json);
        assertEquals(
                "application/vnd.openstack.volume+json;version=3",
                v3.at("/media-types/0/type").asText(),
                json);
        assertEquals("3.0", v3.get("min_version").asText(), json);
        assertEquals("CURRENT", v3.get("status").asText(), json);
        DateTimeFormatter.ISO_DATE_TIME.parse(v3.get("updated").asText());
        String max = v3.get("version").asText();
        assertTrue(MICROVERSION.matcher(max).matches(), "version " + max + ": " + json);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
