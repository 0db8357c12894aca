package io.camelgraphteams.component.testsupport;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues validation tokens shaped like the ones Microsoft Graph puts into notification batches, signed with its own RSA
 * key. Like Azure AD's keys, that key carries a self-signed certificate (x5c) and its kid equals its x5t (SHA-1 of the
 * certificate); tokens name both in their header.
 * <pre>{@code
 * TestTokenIssuer issuer = new TestTokenIssuer(clock);
 * String v1 = issuer.v1Token(clientId, tenantId).sign();                      // ver 1.0, appid, iss https://sts.windows.net/{tid}/
 * String v2 = issuer.v2Token(clientId, tenantId).without("azp").sign();       // ver 2.0, azp, iss https://login.microsoftonline.com/{tid}/v2.0
 * String forged = issuer.v1Token(clientId, tenantId).signedWith(TestTokenIssuer.newSigningKey()).keyId(issuer.keyId()).sign();
 * server.serveKeys(issuer.jwkSetJson());
 * }</pre>
 */
public final class TestTokenIssuer {

    /** Microsoft Graph's change-tracking app: the caller Graph's validation tokens name (deliberately not the main constant). */
    public static final String GRAPH_CHANGE_TRACKING_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";

    /** The lifetime of the 2019 Microsoft token (iat 1565045130 to exp 1565074230). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(29_100);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final RSAKey signingKey;

    /** Issues tokens valid from the system clock's now, with a fresh key. */
    public TestTokenIssuer() {
        this(Clock.systemUTC());
    }

    /** Issues tokens valid from {@code clock}'s now, with a fresh key. */
    public TestTokenIssuer(Clock clock) {
        this(clock, newSigningKey());
    }

    public TestTokenIssuer(Clock clock, RSAKey signingKey) {
        if (!signingKey.isPrivate()) {
            throw new IllegalArgumentException("signingKey must hold the private key, kid " + signingKey.getKeyID());
        }
        this.clock = clock;
        this.signingKey = signingKey;
    }

    /**
     * A fresh RSA-2048 signing key in Azure AD's JWK shape: use sig, a self-signed certificate in x5c, x5t its SHA-1
     * thumbprint, kid equal to x5t.
     */
    public static RSAKey newSigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSignedCertificate(pair);
            byte[] der = certificate.getEncoded();
            Base64URL x5t = Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(der));
            return x5tBuilder(new RSAKey.Builder((RSAPublicKey) pair.getPublic()), x5t)
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .keyID(x5t.toString())
                    .x509CertChain(List.of(Base64.encode(der)))
                    .build();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("could not create a test signing key", e);
        }
    }

    @SuppressWarnings("deprecation") // x5t (SHA-1) is what Azure AD publishes, so the test keys publish it too
    private static RSAKey.Builder x5tBuilder(RSAKey.Builder builder, Base64URL x5t) {
        return builder.x509CertThumbprint(x5t);
    }

    private static X509Certificate selfSignedCertificate(KeyPair pair) {
        X500Name subject = new X500Name("CN=camel-graph-teams test issuer");
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(730))), subject,
                    pair.getPublic());
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("could not create a self-signed test certificate", e);
        }
    }

    public String keyId() {
        return signingKey.getKeyID();
    }

    /** The private signing key (for signing elsewhere, or for a second issuer sharing it). */
    public RSAKey signingKey() {
        return signingKey;
    }

    public RSAKey publicKey() {
        return signingKey.toPublicJWK();
    }

    /** {@code {"keys":[this issuer's public key]}}, as an IdP's jwks_uri serves it. */
    public String jwkSetJson() {
        return jwkSetJson(signingKey);
    }

    /** A JWKS with the public parts of {@code keys}. */
    public static String jwkSetJson(JWK... keys) {
        return new JWKSet(Arrays.asList(keys)).toPublicJWKSet().toString();
    }

    /** A v1.0 token as Graph sends it: ver 1.0, iss https://sts.windows.net/{tid}/, caller in appid. */
    public Token v1Token(String audience, String tenantId) {
        Token token = new Token(audience, tenantId);
        token.claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
        token.claims.put("appid", GRAPH_CHANGE_TRACKING_APP_ID);
        token.claims.put("appidacr", "2");
        token.claims.put("idp", "https://sts.windows.net/" + tenantId + "/");
        token.claims.put("ver", "1.0");
        return token;
    }

    /** A v2.0 token (as /teams/getAllMessages subscriptions get): ver 2.0, iss https://login.microsoftonline.com/{tid}/v2.0, caller in azp. */
    public Token v2Token(String audience, String tenantId) {
        Token token = new Token(audience, tenantId);
        token.claims.put("iss", "https://login.microsoftonline.com/" + tenantId + "/v2.0");
        token.claims.put("azp", GRAPH_CHANGE_TRACKING_APP_ID);
        token.claims.put("azpacr", "2");
        token.claims.put("ver", "2.0");
        return token;
    }

    /** One token to be issued; every claim and header choice can be overridden before {@link #sign()}. */
    public final class Token {

        private final Map<String, Object> claims = new LinkedHashMap<>();
        private RSAKey key = signingKey;
        private String keyId;
        private boolean keyIdSet;
        private Base64URL x5t;
        private boolean x5tSet;
        private JWK embeddedJwk;
        private JWSAlgorithm algorithm = JWSAlgorithm.RS256;

        private Token(String audience, String tenantId) {
            claims.put("aud", audience);
            claims.put("tid", tenantId);
            claims.put("aio", "test-" + UUID.randomUUID());
            claims.put("uti", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
            validFrom(clock.instant());
        }

        /** Sets or replaces a claim; Instants become NumericDate seconds. */
        public Token claim(String name, Object value) {
            claims.put(name, value instanceof Instant instant ? instant.getEpochSecond() : value);
            return this;
        }

        /** Removes a claim. */
        public Token without(String name) {
            claims.remove(name);
            return this;
        }

        /** iat = nbf = {@code issuedAt}, exp = issuedAt + {@link #DEFAULT_LIFETIME}. */
        public Token validFrom(Instant issuedAt) {
            claim("iat", issuedAt);
            claim("nbf", issuedAt);
            return claim("exp", issuedAt.plus(DEFAULT_LIFETIME));
        }

        public Token notBefore(Instant notBefore) {
            return claim("nbf", notBefore);
        }

        public Token expiresAt(Instant expiresAt) {
            return claim("exp", expiresAt);
        }

        /** Signs with {@code otherKey}; the header names that key's kid/x5t unless keyId()/x5t() say otherwise. */
        public Token signedWith(RSAKey otherKey) {
            this.key = otherKey;
            return this;
        }

        /** The kid the header names (null: no kid). */
        public Token keyId(String kid) {
            this.keyId = kid;
            this.keyIdSet = true;
            return this;
        }

        /** A header with x5t only, as older Azure AD tokens have. */
        public Token withoutKeyId() {
            return keyId(null);
        }

        /** The x5t the header names (null: no x5t). */
        public Token x5t(String thumbprint) {
            this.x5t = thumbprint == null ? null : new Base64URL(thumbprint);
            this.x5tSet = true;
            return this;
        }

        /** Embeds a public key in the header ("jwk"), as an attacker would to get their own key trusted. */
        public Token embeddedJwk(JWK jwk) {
            this.embeddedJwk = jwk.toPublicJWK();
            return this;
        }

        /** An RSA signature algorithm other than RS256 (RS384, RS512, PS256...). */
        public Token algorithm(JWSAlgorithm rsaAlgorithm) {
            this.algorithm = rsaAlgorithm;
            return this;
        }

        public JWTClaimsSet claimsSet() {
            try {
                return JWTClaimsSet.parse(new LinkedHashMap<>(claims));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("test claims do not form a JWT claims set: " + e.getMessage(), e);
            }
        }

        /** The compact JWS, signed with the chosen key and algorithm (RS256 by default). */
        public String sign() {
            JWSHeader header = header(algorithm).build();
            SignedJWT jwt = new SignedJWT(header, claimsSet());
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException("could not sign a test token with " + algorithm, e);
            }
            return jwt.serialize();
        }

        /** The same claims with alg none and no signature. */
        public String unsigned() {
            return new PlainJWT(claimsSet()).serialize();
        }

        /** HS256 over the same claims keyed with {@code secret}; pass the RSA public key's bytes for a key-confusion attack. */
        public String hs256(byte[] secret) {
            SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.HS256).build(), claimsSet());
            try {
                jwt.sign(new MACSigner(secret));
            } catch (JOSEException e) {
                throw new IllegalStateException("could not HMAC-sign a test token", e);
            }
            return jwt.serialize();
        }

        /** The same claims encrypted (JWE, RSA-OAEP-256 + A256GCM) to the signing key's public half, not signed. */
        public String encrypted() {
            EncryptedJWT jwt = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                    .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claimsSet());
            try {
                jwt.encrypt(new RSAEncrypter(key.toRSAPublicKey()));
            } catch (JOSEException e) {
                throw new IllegalStateException("could not encrypt a test token", e);
            }
            return jwt.serialize();
        }

        @SuppressWarnings("deprecation") // x5t (SHA-1): Azure AD's header carries it
        private JWSHeader.Builder header(JWSAlgorithm alg) {
            JWSHeader.Builder header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT)
                    .keyID(keyIdSet ? keyId : key.getKeyID())
                    .x509CertThumbprint(x5tSet ? x5t : key.getX509CertThumbprint());
            if (embeddedJwk != null) {
                header.jwk(embeddedJwk);
            }
            return header;
        }
    }
}
