package io.camelgraphteams.component.auth;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import io.camelgraphteams.component.GraphTeamsConfiguration;
import org.apache.camel.CamelContext;

/**
 * Picks the token source the component's options describe: the user's {@code tokenProvider} bean when set, otherwise
 * msal4j client credentials with {@code clientSecret} or {@code clientCertificate}.
 */
public final class GraphTokenProviders {

    private static final String NEEDS = "manageSubscription=true needs ";

    private GraphTokenProviders() {
    }

    /**
     * @throws IllegalArgumentException naming the missing or inconsistent option
     */
    public static GraphTokenProvider fromConfiguration(CamelContext camelContext, GraphTeamsConfiguration configuration) {
        return fromConfiguration(camelContext, configuration, sslContext(camelContext, configuration));
    }

    /**
     * As {@link #fromConfiguration(CamelContext, GraphTeamsConfiguration)}, with the SSLContext already created from
     * {@code sslContextParameters} (null: the JVM's default trust).
     */
    public static GraphTokenProvider fromConfiguration(CamelContext camelContext, GraphTeamsConfiguration configuration,
                                                       SSLContext sslContext) {
        Objects.requireNonNull(camelContext, "camelContext");
        Objects.requireNonNull(configuration, "configuration");
        if (configuration.getTokenProvider() != null) {
            return configuration.getTokenProvider();
        }
        String clientId = requireCredentialOptions(configuration);
        String tenantId = configuration.getTenantId();
        boolean hasSecret = !isBlank(configuration.getClientSecret());
        MsalTokenProvider.Builder builder = MsalTokenProvider.builder()
                .authorityUrl(configuration.getAuthorityUrl())
                .tenantId(tenantId)
                .clientId(clientId);
        if (hasSecret) {
            builder.clientSecret(configuration.getClientSecret());
        } else {
            builder.clientCertificate(ClientCertificate.load(camelContext, configuration.getClientCertificate(),
                    configuration.getClientCertificatePassword(), configuration.getClientPrivateKey()));
        }
        if (sslContext != null) {
            builder.sslSocketFactory(sslContext.getSocketFactory());
        }
        return builder.build();
    }

    /**
     * The SSLContext {@code sslContextParameters} describes, or null when the option is not set.
     *
     * @throws IllegalArgumentException when the parameters cannot make one
     */
    public static SSLContext sslContext(CamelContext camelContext, GraphTeamsConfiguration configuration) {
        if (configuration.getSslContextParameters() == null) {
            return null;
        }
        try {
            return configuration.getSslContextParameters().createSSLContext(camelContext);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("sslContextParameters could not create an SSLContext: " + e.getMessage(),
                    e);
        }
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
    public static String requireCredentialOptions(GraphTeamsConfiguration configuration) {
        if (configuration.getTokenProvider() != null) {
            return null;
        }
        String tenantId = configuration.getTenantId();
        if (isBlank(tenantId)) {
            throw new IllegalArgumentException(NEEDS + "tenantId: the directory (tenant) id of the app registration "
                                               + "(or set tokenProvider to a GraphTokenProvider bean, or "
                                               + "manageSubscription=false to only receive)");
        }
        String clientId = ownClientId(configuration.getClientId());
        if (clientId == null) {
            throw new IllegalArgumentException(NEEDS + "clientId: the application (client) id of the app registration "
                                               + "(or set tokenProvider to a GraphTokenProvider bean)");
        }
        boolean hasSecret = !isBlank(configuration.getClientSecret());
        boolean hasCertificate = !isBlank(configuration.getClientCertificate());
        if (!hasSecret && !hasCertificate) {
            if (!isBlank(configuration.getClientPrivateKey())) {
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
