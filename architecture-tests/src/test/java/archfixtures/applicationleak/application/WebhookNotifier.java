package archfixtures.applicationleak.application;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public final class WebhookNotifier {

    private final HttpClient client = HttpClient.newHttpClient();

    public void notifyCompleted(URI webhook) {
        client.sendAsync(HttpRequest.newBuilder(webhook).build(), HttpResponse.BodyHandlers.discarding());
    }
}
