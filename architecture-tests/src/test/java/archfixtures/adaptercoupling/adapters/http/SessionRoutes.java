package archfixtures.adaptercoupling.adapters.http;

import io.javalin.http.Context;

public final class SessionRoutes {

    public void health(Context ctx) {
        ctx.result("ok");
    }
}
