package archfixtures.compliant.adapters.http;

import archfixtures.compliant.application.SessionCommands;
import archfixtures.compliant.domain.Session;
import archfixtures.compliant.domain.SessionId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;

public final class SessionRoutes {

    private final SessionCommands commands;
    private final ObjectMapper json;

    public SessionRoutes(SessionCommands commands, ObjectMapper json) {
        this.commands = commands;
        this.json = json;
    }

    public void mount(JavalinConfig config) {
        config.routes.post("/sessions/{id}/phase", this::changePhase);
    }

    void changePhase(Context ctx) throws JsonProcessingException {
        SessionId id = new SessionId(UUID.fromString(ctx.pathParam("id")));
        Session next = commands.changePhase(id, ctx.body());
        ctx.result(json.writeValueAsString(Map.of("phase", next.phase())));
    }
}
