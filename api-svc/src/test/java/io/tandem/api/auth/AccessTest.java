package io.tandem.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.tandem.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static final Caller ADMIN = new Caller("root", "ops", true);
    private static final Caller MEMBER = new Caller("bob", "p2", false);

    @Test
    void adminRoutesRefuseMembersWithCindersPolicyMessage() {
        assertEquals(ADMIN, Access.requireAdmin(request(ADMIN), "volume_extension:services:index"));
        ApiException e = assertThrows(
                ApiException.class, () -> Access.requireAdmin(request(MEMBER), "volume_extension:services:index"));
        assertEquals(HttpStatus.FORBIDDEN, e.status());
        assertEquals("Policy doesn't allow volume_extension:services:index to be performed.", e.getMessage());
    }

    @Test
    void aMemberStaysInItsProjectAndAnAdminGoesAnywhere() {
        assertEquals(MEMBER, Access.requireProject(request(MEMBER), "p2"));
        assertEquals(MEMBER, Access.requireProject(request(MEMBER), null));
        assertEquals(ADMIN, Access.requireProject(request(ADMIN), "p2"));
        ApiException e = assertThrows(ApiException.class, () -> Access.requireProject(request(MEMBER), "p3"));
        assertEquals(HttpStatus.FORBIDDEN, e.status());
    }

    private static HttpRequest<?> request(Caller caller) {
        return HttpRequest.GET("/v3/x").setAttribute(Caller.ATTRIBUTE, caller);
    }
}
