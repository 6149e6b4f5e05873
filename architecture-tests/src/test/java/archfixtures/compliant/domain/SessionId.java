package archfixtures.compliant.domain;

import java.util.UUID;

public record SessionId(UUID value) {
}
