package io.tandem.api.http;

/**
 * The order of the server filters, outermost first. An outer filter's response step runs after the inner ones, so
 * every response a later filter short-circuits (406, 401) still gets the request id and version headers.
 */
public final class FilterOrder {
    public static final int REQUEST_ID = 0;
    public static final int MICROVERSION = 10;
    public static final int AUTH = 20;

    private FilterOrder() {}
}
