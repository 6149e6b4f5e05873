package archfixtures.applicationleak.domain;

import java.util.UUID;

public record Session(UUID id, String phase) {
}
