package io.camelgraphteams.component.auth;

/**
 * Supplies the bearer token for calls to Microsoft Graph. The default implementation uses msal4j client credentials;
 * register a bean of this type for any other kind of credential.
 */
@FunctionalInterface
public interface GraphTokenProvider {

    /** The Graph application-permission scope, for the Microsoft global cloud. */
    String DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

    /**
     * Returns a valid access token for the given scope (e.g. {@code https://graph.microsoft.com/.default}), from a
     * cache where possible. Called from worker threads, never from the Vert.x event loop.
     *
     * @throws Exception when no token can be obtained; the message must name what to fix and never contain a secret
     */
    String accessToken(String scope) throws Exception;
}
