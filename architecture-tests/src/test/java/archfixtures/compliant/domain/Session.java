package archfixtures.compliant.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

public record Session(SessionId id, String phase, BigDecimal costUsd, Instant createdAt, List<String> answers) {

    public Session {
        answers = List.copyOf(answers);
    }

    public Session changePhase(String next) {
        return new Session(id, next, costUsd, createdAt, answers);
    }
}
