package io.camelgraphteams.emulator.identity;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.camelgraphteams.emulator.http.Json;

/**
 * The emulator's "Azure AD signing key": it signs access tokens and the validationTokens of rich notifications, and is
 * published as a JWKS the way login.microsoftonline.com publishes its keys (kid = x5t = base64url SHA-1 of the cert).
 */
public final class TokenSigningKey {

    private final SelfSignedCertificate certificate;
    private final String keyId;
    private final RSASSASigner signer;
    private final RSASSAVerifier verifier;

    public TokenSigningKey(SelfSignedCertificate certificate) {
        this.certificate = certificate;
        try {
            this.keyId = Base64URL.encode(MessageDigest.getInstance("SHA-1").digest(certificate.der())).toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.signer = new RSASSASigner(certificate.privateKey());
        this.verifier = new RSASSAVerifier((RSAPublicKey) certificate.keyPair().getPublic());
    }

    public static TokenSigningKey generate() {
        return new TokenSigningKey(SelfSignedCertificate.generate("CN=accounts.graph-teams-emulator", 2048));
    }

    public String keyId() {
        return keyId;
    }

    public SelfSignedCertificate certificate() {
        return certificate;
    }

    /** Signs with RS256, header typ JWT, x5t and kid as Azure AD does. */
    @SuppressWarnings("deprecation")
    public String sign(JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .x509CertThumbprint(new Base64URL(keyId))
                .keyID(keyId)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
        return jwt.serialize();
    }

    /** The claims of a token this key signed; null when it is not a JWT or the signature does not verify. */
    public JWTClaimsSet verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return null;
            }
            return jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException e) {
            return null;
        }
    }

    public RSAKey publicJwk() {
        return new RSAKey.Builder((RSAPublicKey) certificate.keyPair().getPublic())
                .keyID(keyId)
                .keyUse(KeyUse.SIGNATURE)
                .x509CertChain(List.of(Base64.encode(certificate.der())))
                .build();
    }

    /** {"keys":[{kty, use, kid, x5t, n, e, x5c, issuer?}]}; {@code issuer} is set on v2 key sets as Microsoft does. */
    public ObjectNode jwks(String issuer) {
        ObjectNode body = Json.object();
        Map<String, Object> jwk = publicJwk().toJSONObject();
        ObjectNode key = body.putArray("keys").addObject();
        key.put("kty", "RSA");
        key.put("use", "sig");
        key.put("kid", keyId);
        key.put("x5t", keyId);
        key.put("n", (String) jwk.get("n"));
        key.put("e", (String) jwk.get("e"));
        key.putArray("x5c").add(java.util.Base64.getEncoder().encodeToString(certificate.der()));
        if (issuer != null) {
            key.put("issuer", issuer);
        }
        return body;
    }
}
