package archfixtures.javalinleak.adapters.redis;

import io.javalin.http.sse.SseClient;

public final class RedisSseRelay {

    public void relay(String channelMessage, SseClient client) {
        client.sendEvent("session.progress", channelMessage);
    }
}
