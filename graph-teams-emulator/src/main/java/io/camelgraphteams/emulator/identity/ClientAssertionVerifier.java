package io.camelgraphteams.emulator.identity;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks a certificate-signed client assertion (RFC 7523) against the app's registered certificates, as the identity
 * platform does: the key is found by the x5t#S256 / x5t header, the RS256/PS256 signature verifies, iss = sub = client
 * id, aud = this token endpoint, and the time window holds (5 minutes of skew allowed).
 */
public final class ClientAssertionVerifier {

    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final Clock clock;

    public ClientAssertionVerifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param tokenEndpointPath the path of the endpoint that received the request, e.g. /{tenant}/oauth2/v2.0/token;
     *                          aud must be an https URL on a loopback host with this path
     * @throws IdentityError invalid_client with the AADSTS code the identity platform uses
     */
    public void verify(RegisteredApp app, String assertion, String tokenEndpointPath, int localPort) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw IdentityError.invalidClient(50027, "JWT token is invalid or malformed.");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.PS256.equals(alg)) {
            throw IdentityError.invalidClient(5002738, "The JWT token uses an unsupported algorithm '" + alg + "'.");
        }
        List<X509Certificate> candidates = candidates(app, jwt);
        if (candidates.isEmpty()) {
            throw IdentityError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key "
                    + "was not found., Thumbprint of key used by client: '" + thumbprintInHeader(jwt)
                    + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys "
                    + "for app Id '" + app.clientId() + "'.]");
        }
        boolean verified = false;
        for (X509Certificate certificate : candidates) {
            try {
                if (jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))) {
                    verified = true;
                    break;
                }
            } catch (JOSEException | ClassCastException e) {
                // not an RSA certificate or not this key: try the next one
            }
        }
        if (!verified) {
            throw IdentityError.invalidClient(700027, "Client assertion failed signature validation.");
        }
        if (!app.clientId().equals(claims.getIssuer()) || !app.clientId().equals(claims.getSubject())) {
            throw IdentityError.invalidClient(700021,
                    "Client assertion application identifier doesn't match 'client_id' parameter.");
        }
        if (claims.getAudience().stream().noneMatch(aud -> isThisEndpoint(aud, tokenEndpointPath, localPort))) {
            throw IdentityError.invalidClient(700212, "No matching federated identity record found for presented "
                    + "assertion audience '" + String.join(",", claims.getAudience()) + "'. The audience must be the "
                    + "token endpoint.");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().plus(SKEW).isBefore(now)
                || (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(SKEW).isAfter(now))) {
            throw IdentityError.invalidClient(700024, "Client assertion is not within its valid time range. Current "
                    + "time: " + now + ", assertion valid from " + claims.getNotBeforeTime() + ", expiry time of "
                    + "assertion " + claims.getExpirationTime() + ".");
        }
    }

    private static boolean isThisEndpoint(String aud, String path, int localPort) {
        try {
            URI uri = URI.create(aud);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
            boolean samePath = stripSlash(uri.getPath()).equalsIgnoreCase(stripSlash(path));
            return loopback && samePath && (uri.getPort() == localPort || uri.getPort() == -1);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String path) {
        return path != null && path.endsWith("/") ? path.substring(0, path.length() - 1) : String.valueOf(path);
    }

    private static List<X509Certificate> candidates(RegisteredApp app, SignedJWT jwt) {
        String sha256 = normalise(jwt.getHeader().getX509CertSHA256Thumbprint() == null ? null
                : jwt.getHeader().getX509CertSHA256Thumbprint().toString());
        Object x5tRaw = jwt.getHeader().getCustomParam("x5t");
        @SuppressWarnings("deprecation")
        String sha1 = normalise(jwt.getHeader().getX509CertThumbprint() != null
                ? jwt.getHeader().getX509CertThumbprint().toString() : x5tRaw != null ? x5tRaw.toString() : null);
        List<X509Certificate> result = new ArrayList<>();
        for (X509Certificate certificate : app.certificates()) {
            if (sha256 == null && sha1 == null) {
                result.add(certificate);
            } else if (sha256 != null && sha256.equals(digest(certificate, "SHA-256"))) {
                result.add(certificate);
            } else if (sha1 != null && sha1.equals(digest(certificate, "SHA-1"))) {
                result.add(certificate);
            }
        }
        return result;
    }

    /** msal4j sends x5t#S256 in standard Base64 with padding; the JOSE spec says base64url: accept both. */
    private static String normalise(String thumbprint) {
        if (thumbprint == null) {
            return null;
        }
        return thumbprint.replace('-', '+').replace('_', '/').replace("=", "");
    }

    private static String digest(X509Certificate certificate, String algorithm) {
        try {
            byte[] hash = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String thumbprintInHeader(SignedJWT jwt) {
        Object x5t = jwt.getHeader().getCustomParam("x5t");
        if (jwt.getHeader().getX509CertSHA256Thumbprint() != null) {
            return hex(jwt.getHeader().getX509CertSHA256Thumbprint().toString());
        }
        return x5t == null ? "" : hex(x5t.toString());
    }

    private static String hex(String base64) {
        try {
            return HexFormat.of().withUpperCase().formatHex(Base64.getDecoder().decode(normalise(base64)));
        } catch (IllegalArgumentException e) {
            return base64;
        }
    }
}
