package archfixtures.packagecycle.application;

public record SessionQuery(String tenantId, String status, int limit) {
}
