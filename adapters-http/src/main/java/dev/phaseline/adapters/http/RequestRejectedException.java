package dev.phaseline.adapters.http;

import dev.phaseline.domain.PhaselineException;

/**
 * A request this adapter refuses before the application sees it, for a reason the application has no code for:
 * authentication, media type, body size, unknown route. {@link Problems} maps its code like any other.
 */
final class RequestRejectedException extends PhaselineException {

    static final String UNAUTHENTICATED = "unauthenticated";
    static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    static final String NOT_FOUND = "not_found";

    private final boolean invalidToken;

    private RequestRejectedException(String code, String message, boolean invalidToken) {
        super(code, message);
        this.invalidToken = invalidToken;
    }

    static RequestRejectedException unauthenticated(String message, boolean invalidToken) {
        return new RequestRejectedException(UNAUTHENTICATED, message, invalidToken);
    }

    static RequestRejectedException payloadTooLarge() {
        return new RequestRejectedException(PAYLOAD_TOO_LARGE, "the request body is larger than 1 MiB", false);
    }

    static RequestRejectedException unsupportedMediaType() {
        return new RequestRejectedException(UNSUPPORTED_MEDIA_TYPE, "a request body must be application/json",
                false);
    }

    static RequestRejectedException unknownRoute(String method, String path) {
        return new RequestRejectedException(NOT_FOUND, "no route " + method + " " + path, false);
    }

    /** @return whether a token was presented and refused (rather than absent) */
    boolean invalidToken() {
        return invalidToken;
    }
}
