package archfixtures.packagecycle.domain;

import java.util.UUID;

public record Session(UUID id, String status) {
}
