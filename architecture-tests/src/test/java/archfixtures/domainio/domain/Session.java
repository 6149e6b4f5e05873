package archfixtures.domainio.domain;

import java.time.Instant;
import java.util.UUID;

public record Session(UUID id, String phase, Instant createdAt) {
}
