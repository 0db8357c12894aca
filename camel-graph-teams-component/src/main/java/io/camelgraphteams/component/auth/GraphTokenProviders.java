package io.camelgraphteams.component.auth;

import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the token source the component's options describe: the user's {@code tokenProvider} bean when set, otherwise
 * msal4j client credentials with {@code clientSecret} or {@code clientCertificate}.
 */
public final class GraphTokenProviders {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTokenProviders.class);
    private static final String NEEDS = "manageSubscription=true needs ";

    private GraphTokenProviders() {
    }

    /**
     * The user's {@code tokenProvider} bean, or msal4j client credentials with {@code clientSecret} or
     * {@code clientCertificate}.
     *
     * @param  sslContext               trust for the identity platform's TLS certificate; null for the JVM's
     * @throws IllegalArgumentException naming the missing or inconsistent option
     */
    public static GraphTokenProvider of(CamelContext camelContext, GraphCredentials credentials, SSLContext sslContext) {
        Objects.requireNonNull(camelContext, "camelContext");
        Objects.requireNonNull(credentials, "credentials");
        if (credentials.tokenProvider() != null) {
            if (!isBlank(credentials.clientSecret()) || !isBlank(credentials.clientCertificate())) {
                // the registry's only GraphTokenProvider bean is picked up by type: say so rather than override quietly
                LOG.warn("Both tokenProvider and client credentials (clientSecret or clientCertificate) are set for "
                         + "client {}: Graph's tokens come from the tokenProvider, the credentials are not used",
                        credentials.clientId());
            }
            return credentials.tokenProvider();
        }
        String clientId = requireCredentialOptions(credentials);
        boolean hasSecret = !isBlank(credentials.clientSecret());
        MsalTokenProvider.Builder builder = MsalTokenProvider.builder()
                .authorityUrl(credentials.authorityUrl())
                .tenantId(credentials.tenantId())
                .clientId(clientId);
        if (hasSecret) {
            builder.clientSecret(credentials.clientSecret());
        } else {
            builder.clientCertificate(ClientCertificate.load(camelContext, credentials.clientCertificate(),
                    credentials.clientCertificatePassword(), credentials.clientPrivateKey()));
        }
        if (sslContext != null) {
            builder.sslSocketFactory(sslContext.getSocketFactory());
        }
        return builder.build();
    }

    /** clientId may list several ids (validation token audiences); the first is the app's own. */
    static String ownClientId(String clientIds) {
        if (isBlank(clientIds)) {
            return null;
        }
        String first = clientIds.split(",", -1)[0].trim();
        return first.isEmpty() ? null : first;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Checks that the options name a complete credential (tenantId, clientId, exactly one of clientSecret and
     * clientCertificate), naming what is missing. Called when the endpoint is created and again when the provider is
     * built. A tokenProvider bean needs none of them.
     *
     * @return the app's own client id (the first of clientId), or null when a tokenProvider bean is set
     */
    public static String requireCredentialOptions(GraphCredentials credentials) {
        if (credentials.tokenProvider() != null) {
            return null;
        }
        String tenantId = credentials.tenantId();
        if (isBlank(tenantId)) {
            throw new IllegalArgumentException(NEEDS + "tenantId: the directory (tenant) id of the app registration "
                                               + "(or set tokenProvider to a GraphTokenProvider bean, or "
                                               + "manageSubscription=false to only receive)");
        }
        String clientId = ownClientId(credentials.clientId());
        if (clientId == null) {
            throw new IllegalArgumentException(NEEDS + "clientId: the application (client) id of the app registration "
                                               + "(or set tokenProvider to a GraphTokenProvider bean)");
        }
        boolean hasSecret = !isBlank(credentials.clientSecret());
        boolean hasCertificate = !isBlank(credentials.clientCertificate());
        if (!hasSecret && !hasCertificate) {
            if (!isBlank(credentials.clientPrivateKey())) {
                throw new IllegalArgumentException("clientPrivateKey is set but clientCertificate is not: give the PEM "
                                                   + "certificate that goes with the key as clientCertificate");
            }
            throw new IllegalArgumentException(NEEDS + "clientSecret or clientCertificate to authenticate clientId "
                                               + clientId + " (or set tokenProvider to a GraphTokenProvider bean)");
        }
        if (hasSecret && hasCertificate) {
            throw new IllegalArgumentException("Set either clientSecret or clientCertificate for clientId " + clientId
                                               + ", not both");
        }
        return clientId;
    }
}
