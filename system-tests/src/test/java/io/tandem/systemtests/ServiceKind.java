package io.tandem.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four services as they are packaged: {@code <module>/target/<jar>} with its dependencies in {@code
 * <module>/target/lib} (the jar's manifest Class-Path), started with {@code java -jar}.
 */
public enum ServiceKind {
    SCHEDULER("scheduler-svc", "tandem-scheduler.jar", "scheduler", true),
    REPLICATION("replication-svc", "tandem-replication.jar", "replication", true),
    VOLUME("volume-svc", "tandem-volume.jar", "volume", true),
    API("api-svc", "tandem-api.jar", "api", false);

    private final String module;
    private final String jarName;
    private final String binary;
    private final boolean grpc;

    ServiceKind(String module, String jarName, String binary, boolean grpc) {
        this.module = module;
        this.jarName = jarName;
        this.binary = binary;
        this.grpc = grpc;
    }

    /** The value stored in {@code services.binary_name} and used in etcd keys. */
    public String binary() {
        return binary;
    }

    /** True for the gRPC servers; api-svc serves REST only. */
    public boolean isGrpc() {
        return grpc;
    }

    /** The environment variable that sets the port this service listens on. */
    public String portVariable() {
        return grpc ? "GRPC_SERVER_PORT" : "MICRONAUT_SERVER_PORT";
    }

    /**
     * The packaged jar. Fails with a message saying how to build it when it (or its lib directory) is missing, so that
     * running this module alone against an unbuilt tree does not end in a puzzling "process exited" error.
     */
    public Path jar() {
        Path target = top().resolve(module).resolve("target");
        Path jar = target.resolve(jarName);
        if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException(
                    jar + " (with lib/ beside it) is missing: build the services first, e.g. `mvn"
                            + " -B install -DskipTests -pl scheduler-svc,replication-svc,volume-svc,api-svc -am`");
        }
        return jar;
    }

    /** The repository's top directory, given by the build (surefire), else the parent of the working directory. */
    static Path top() {
        String configured = System.getProperty("tandem.top");
        Path top = configured != null ? Path.of(configured) : Path.of("..");
        return top.toAbsolutePath().normalize();
    }
}
