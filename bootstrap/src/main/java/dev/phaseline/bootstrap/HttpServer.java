package dev.phaseline.bootstrap;

import dev.phaseline.adapters.http.HttpApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own Javalin with the {@link HttpApi} mounted, plus what a graceful stop needs: once draining, new
 * requests are answered {@code 503 unavailable} while the requests already in flight run to their end.
 */
final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final byte[] SHUTTING_DOWN = ("{\"type\":\"urn:phaseline:problem:unavailable\","
            + "\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"the server is shutting down\","
            + "\"code\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8);

    private final HttpApi api;
    /** Counts a request until its response is written, which Javalin does after the last handler has run. */
    private final GracefulHandler inFlight = new GracefulHandler();
    private volatile boolean draining;
    private Javalin app;

    private HttpServer(HttpApi api) {
        this.api = api;
    }

    /**
     * @param api  the API to serve
     * @param host the interface to bind
     * @param port the port, 0 for any free one
     * @param storeConnections the store's connection pool size, which sizes the request threads
     * @return the started server
     * @throws StartupException ({@link StartupException.Setting#HTTP_PORT}) if it cannot listen
     */
    static HttpServer start(HttpApi api, String host, int port, int storeConnections) {
        HttpServer server = new HttpServer(api);
        try {
            server.app = Javalin.create(cfg -> {
                HttpApi.configureServer(cfg, storeConnections);
                // Javalin mounts its own handler inside this one, so every request passes through the count.
                cfg.jetty.modifyServer(jetty -> jetty.setHandler(server.inFlight));
                cfg.routes.before(server::admit);
                api.mount(cfg);
            }).start(host, port);
        } catch (RuntimeException e) {
            if (server.app != null) {
                server.app.stop();
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new StartupException(StartupException.Setting.HTTP_PORT, "cannot listen on " + host + ":" + port
                    + ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()), e);
        }
        return server;
    }

    /** @return the port it listens on */
    int port() {
        return app.port();
    }

    /**
     * Stops in the order that loses nothing: refuse new requests, end the open streams (clients resume with
     * {@code Last-Event-ID}), wait for requests in flight until their responses are written, then close the listener.
     *
     * @param drainTimeout how long to wait for requests in flight
     */
    void stop(Duration drainTimeout) {
        draining = true;
        api.close();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.getCurrentRequestCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long unfinished = inFlight.getCurrentRequestCount();
        if (unfinished > 0) {
            LOG.warn("{} requests still running after {}; stopping anyway", unfinished, drainTimeout);
        }
        app.stop();
    }

    private void admit(Context ctx) {
        if (draining) {
            ctx.status(503);
            ctx.header("Connection", "close");
            ctx.contentType("application/problem+json");
            ctx.result(SHUTTING_DOWN);
            ctx.skipRemainingHandlers();
        }
    }
}
