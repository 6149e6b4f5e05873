package archfixtures.javalinleak.bootstrap;

import archfixtures.javalinleak.adapters.http.SessionRoutes;
import io.javalin.Javalin;

public final class PhaselineServer {

    private PhaselineServer() {
    }

    public static Javalin start(int port) {
        SessionRoutes routes = new SessionRoutes();
        return Javalin.create(config -> config.routes.get("/health", routes::health)).start(port);
    }
}
