package io.camelgraphteams.component.auth;

/**
 * How the app authenticates to Graph, as the component's options give it: a {@link GraphTokenProvider} bean, or
 * msal4j client credentials (tenant, client id, and a secret or a certificate) against {@code authorityUrl}.
 *
 * @param clientId may list several ids (validation token audiences); the first is the app's own
 */
public record GraphCredentials(String tenantId, String clientId, String clientSecret, String clientCertificate,
                               String clientCertificatePassword, String clientPrivateKey, String authorityUrl,
                               GraphTokenProvider tokenProvider) {

    /** Never the secret, the password or key material: this may end up in a log. */
    @Override
    public String toString() {
        return "GraphCredentials[tenantId=" + tenantId + ", clientId=" + clientId + ", authorityUrl=" + authorityUrl
               + (tokenProvider != null ? ", tokenProvider" : clientSecret != null ? ", clientSecret=***"
                       : clientCertificate != null ? ", clientCertificate" : "")
               + "]";
    }
}
