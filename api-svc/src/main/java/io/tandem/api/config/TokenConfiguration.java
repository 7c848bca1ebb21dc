package io.tandem.api.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/**
 * One token of the {@code token} strategy: {@code tandem.api.auth.tokens[i].{token,user,project,roles}}, a list in
 * YAML:
 *
 * <pre>
 * tandem.api.auth.tokens:
 *   - token: s3cret
 *     user: alice
 *     project: p1
 *     roles: [admin]
 * </pre>
 *
 * In the environment: {@code TANDEM_API_AUTH_TOKENS_<i>__TOKEN}, {@code …__USER}, {@code …__PROJECT} and {@code
 * …__ROLES} (comma-separated), with two underscores after the index (Micronaut's spelling of {@code [i].}); the system
 * tests configure api-svc this way.
 */
@EachProperty(value = "tandem.api.auth.tokens", list = true)
public class TokenConfiguration {
    private final int index;
    private String token;
    private String user;
    private String project;
    /** {@code admin} may use every route; {@code member} only its project's volume routes. */
    private List<String> roles = List.of("member");

    public TokenConfiguration(@Parameter Integer index) {
        this.index = index;
    }

    /** Position in the list, for start-up messages about a bad entry. */
    public int index() {
        return index;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getProject() {
        return project;
    }

    public void setProject(String project) {
        this.project = project;
    }

    public List<String> getRoles() {
        return roles;
    }

    public void setRoles(List<String> roles) {
        this.roles = roles;
    }
}
