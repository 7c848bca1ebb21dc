package io.micronaut.context.env;

import java.util.Map;

/**
 * Environment variables as Micronaut reads them, without touching the process environment: the same transformation
 * ({@code EnvironmentPropertySource.getEnv}, package-private, hence this package) and the same naming convention. Lets
 * a test prove the {@code TANDEM_VOLUME_*} spellings the README documents.
 */
public final class EnvironmentSpelling {
    private EnvironmentSpelling() {}

    @SuppressWarnings("unchecked")
    public static PropertySource of(Map<String, String> variables) {
        Map<String, Object> transformed = EnvironmentPropertySource.getEnv(variables, null, null);
        return new MapPropertySource("test-environment", transformed) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
    }
}
