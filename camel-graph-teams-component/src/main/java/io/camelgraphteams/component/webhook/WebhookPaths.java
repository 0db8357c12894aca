package io.camelgraphteams.component.webhook;

/**
 * The notification and lifecycle paths one consumer serves on an HTTP engine, from registration until
 * {@link #unregister()}: on a Vert.x router ({@link NotificationHttpRoutes}) or through any other platform-http engine
 * ({@link PlatformHttpWebhook}).
 */
public interface WebhookPaths {

    /** Stops answering: batches in progress still complete, new ones get 503 until the paths are gone. */
    void unregister() throws Exception;
}
