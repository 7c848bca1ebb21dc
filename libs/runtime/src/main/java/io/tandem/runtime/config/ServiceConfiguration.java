package io.tandem.runtime.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.tandem.core.ServiceBinary;
import io.tandem.core.error.InvalidArgumentException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process's identity: {@code tandem.service.*}, or {@code TANDEM_SERVICE_*} in the environment. */
@ConfigurationProperties("tandem.service")
public class ServiceConfiguration {
    /**
     * Host name stored in {@code services.host} and used in etcd keys. Volume nodes use Cinder's {@code
     * <node>@<backend>} form. Defaults to the machine's host name.
     */
    private String host = localHostName();

    /** Which Tandem service this process is; set by each service's own application.yml. */
    private String binary;

    /** Address other services use to reach this one's gRPC server; defaults to {@code 127.0.0.1:<grpc port>}. */
    private String advertisedAddress;

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getBinary() {
        return binary;
    }

    public void setBinary(String binary) {
        this.binary = binary;
    }

    /** The binary as a type; a misspelt value fails start-up with a message naming the key. */
    public ServiceBinary binary() {
        return ServiceBinary.parse(String.valueOf(binary))
                .orElseThrow(() -> new InvalidArgumentException(
                        "tandem.service.binary must be one of volume, scheduler, replication, api; was " + binary));
    }

    public String getAdvertisedAddress() {
        return advertisedAddress;
    }

    public void setAdvertisedAddress(String advertisedAddress) {
        this.advertisedAddress = advertisedAddress;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
