package archfixtures.packagecycle.application.port;

import archfixtures.packagecycle.application.SessionQuery;
import archfixtures.packagecycle.domain.Session;
import java.util.List;

public interface SessionStore {

    List<Session> find(SessionQuery query);
}
