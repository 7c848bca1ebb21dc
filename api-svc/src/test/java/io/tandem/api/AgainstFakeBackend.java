package io.tandem.api;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * An HTTP test class against one fake backend: the fake and api-svc in noauth mode in front of it ({@link #api}) start
 * once for the class and close after it, hence one test instance per class; every test starts with nothing scripted
 * and no call recorded. A class that also tests token mode starts such a server with {@link #startWithTokens}.
 */
@TestInstance(Lifecycle.PER_CLASS)
public abstract class AgainstFakeBackend<F extends ScriptedBackend> {
    protected final F fake;
    /** api-svc in noauth mode, where {@link ApiServer#request} is the admin of project p1. */
    protected final ApiServer api;

    private final List<ApiServer> servers = new ArrayList<>();

    protected AgainstFakeBackend(F fake) {
        this.fake = fake;
        this.api = started(ApiServer.start(fake.address()));
    }

    /** api-svc in token mode in front of the same fake, knowing {@code tokens} only; closed with the others. */
    protected final ApiServer startWithTokens(ApiServer.Token... tokens) {
        return started(ApiServer.startWithTokens(fake.address(), tokens));
    }

    private ApiServer started(ApiServer server) {
        servers.add(server);
        return server;
    }

    // Runs before the subclass's own @BeforeEach, which scripts its usual answers on a clean fake.
    @BeforeEach
    protected final void resetFake() {
        fake.reset();
    }

    @AfterAll
    protected final void closeServersThenFake() {
        servers.forEach(ApiServer::close);
        fake.close();
    }
}
